using System.Reflection;
using CnnLens.Onnx;

namespace CnnLens.Graph;

/// <summary>
/// Finds the <see cref="Operator"/> implementing each ONNX op type (by <see cref="OnnxOperatorAttribute"/>)
/// and builds it from a node's attributes. Adding an op is adding one class; nothing here changes.
/// </summary>
public static class OperatorRegistry
{
    private static readonly Lazy<Dictionary<string, ConstructorInfo>> Constructors = new(Discover);

    /// <summary>Every supported op type, sorted.</summary>
    public static IReadOnlyList<string> SupportedOpTypes => Constructors.Value.Keys.Order(StringComparer.Ordinal).ToList();

    public static bool IsSupported(string opType) => Constructors.Value.ContainsKey(opType);

    /// <summary>Builds the operator for a node (telling it how many outputs the node has); attribute errors become <see cref="ModelLoadException"/>s naming the node.</summary>
    public static Operator Create(OnnxNode node, int opset)
    {
        if (!Constructors.Value.TryGetValue(node.OpType, out var ctor))
            throw new UnsupportedOperatorException($"operator {node.OpType} (node '{node.Name}') is not supported");
        try
        {
            var op = (Operator)ctor.Invoke([node.Attributes, opset]);
            if (op is Operators.IOutputCountAware aware) aware.SetOutputCount(node.Outputs.Length);
            return op;
        }
        catch (TargetInvocationException e) when (e.InnerException is CnnLensException inner)
        {
            throw new ModelLoadException($"node '{node.Name}' ({node.OpType}): {inner.Message}", inner);
        }
    }

    private static Dictionary<string, ConstructorInfo> Discover()
    {
        var result = new Dictionary<string, ConstructorInfo>(StringComparer.Ordinal);
        foreach (var type in typeof(Operator).Assembly.GetTypes())
        {
            if (type.IsAbstract || !typeof(Operator).IsAssignableFrom(type)) continue;
            var ctor = type.GetConstructor([typeof(OnnxAttributes), typeof(int)]);
            foreach (var attribute in type.GetCustomAttributes<OnnxOperatorAttribute>(inherit: false))
            {
                if (ctor is null)
                    throw new InvalidOperationException($"{type.Name} needs a constructor (OnnxAttributes, int)");
                result.Add(attribute.OpType, ctor);
            }
        }
        return result;
    }
}
