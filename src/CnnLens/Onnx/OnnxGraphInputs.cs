namespace CnnLens.Onnx;

/// <summary>
/// Graph inputs the caller must feed. Old exports (IR version 3 and below) also list every
/// initializer as a graph input; those are constants with a default value, not real inputs.
/// </summary>
public static class OnnxGraphInputs
{
    extension(OnnxGraph graph)
    {
        /// <summary>Declared inputs that are not initializers, in declaration order.</summary>
        public IReadOnlyList<OnnxValueInfo> RealInputs =>
            graph.Inputs.Where(input => !graph.Initializers.ContainsKey(input.Name)).ToList();
    }
}
