using CnnLens.Graph;
using CnnLens.Onnx;

namespace CnnLens.Tests.Operators;

/// <summary>Every operator of this set is discovered by the registry under its ONNX name and builds from a node.</summary>
public class OperatorRegistrationTests
{
    public static IEnumerable<object[]> OpTypes => new[]
    {
        "Abs", "Add", "Cast", "Clip", "Concat", "Constant", "ConstantOfShape", "Div", "Dropout", "Equal", "Erf", "Exp",
        "Expand", "Flatten", "Gather", "Greater", "GreaterOrEqual", "HardSigmoid", "HardSwish", "Identity", "LeakyRelu",
        "Less", "LessOrEqual", "Log", "LogSoftmax", "Max", "Min", "Mul", "Neg", "Not", "PRelu", "Pad", "Pow", "Range",
        "Reciprocal", "ReduceMax", "ReduceMean", "ReduceSum", "Relu", "Reshape", "Resize", "Shape", "Sigmoid", "Size",
        "Slice", "Softmax", "Split", "Sqrt", "Squeeze", "Sub", "Sum", "Tanh", "Transpose", "Unsqueeze", "Upsample", "Where",
    }.Select(t => new object[] { t });

    [Theory]
    [MemberData(nameof(OpTypes))]
    public void RegisteredAndConstructible(string opType)
    {
        Assert.True(OperatorRegistry.IsSupported(opType), $"{opType} is not registered");
        var attributes = new OnnxAttributes();
        // The few ops with required attributes get a minimal valid set.
        switch (opType)
        {
            case "Concat": attributes.Set("axis", 0L); break;
            case "Cast": attributes.Set("to", 1L); break;
            case "Constant": attributes.Set("value_float", 1f); break;
            case "Upsample": attributes.Set("scales", new float[] { 1, 2 }); break;
        }
        var node = new OnnxNode { OpType = opType, Name = "n", Attributes = attributes };
        Assert.NotNull(OperatorRegistry.Create(node, 13));
    }
}
