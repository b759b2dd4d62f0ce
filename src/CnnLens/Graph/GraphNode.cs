using CnnLens.Onnx;

namespace CnnLens.Graph;

/// <summary>
/// A node of the executable graph: the ONNX node it came from, its operator, and the slots of
/// its input and output tensors (-1 for an omitted optional input).
/// </summary>
public sealed class GraphNode
{
    internal GraphNode(OnnxNode source, Operator op, int[] inputSlots, int[] outputSlots)
    {
        Source = source;
        Operator = op;
        InputSlots = inputSlots;
        OutputSlots = outputSlots;
    }

    public OnnxNode Source { get; }

    public string Name => Source.Name;

    public string OpType => Source.OpType;

    public Operator Operator { get; }

    internal int[] InputSlots { get; }

    internal int[] OutputSlots { get; }

    public IReadOnlyList<string> Inputs => Source.Inputs;

    public IReadOnlyList<string> Outputs => Source.Outputs;

    public override string ToString() => $"{OpType} '{Name}'";
}
