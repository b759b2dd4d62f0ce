using CnnLens.Tensors;

namespace CnnLens.Graph;

/// <summary>The outputs of one forward pass plus every tensor the caller asked to keep.</summary>
public sealed class ForwardResult
{
    private readonly Dictionary<string, Tensor> _tensors;

    internal ForwardResult(Dictionary<string, Tensor> tensors, string[] outputNames)
    {
        _tensors = tensors;
        OutputNames = outputNames;
    }

    public string[] OutputNames { get; }

    /// <summary>The first graph output.</summary>
    public Tensor Output => _tensors[OutputNames[0]];

    public IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    public Tensor this[string name] =>
        _tensors.TryGetValue(name, out var t) ? t : throw new CnnLensException($"tensor '{name}' was not kept by this forward pass; ask for it in keep");
}
