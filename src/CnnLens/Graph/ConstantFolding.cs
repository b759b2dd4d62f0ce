using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph;

/// <summary>
/// Load-time constant folding: a node whose inputs are all constants (weights, Constant nodes,
/// earlier folded nodes) is run once and its outputs become constants. What depends on the input's
/// shape (PyTorch's Shape→Gather→Concat→Reshape chains) is folded per input shape by the executor.
/// </summary>
internal static class ConstantFolding
{
    public static void Fold(List<OnnxNode> ordered, Dictionary<OnnxNode, Operator> operators, Dictionary<string, Tensor> constants)
    {
        foreach (var node in ordered)
        {
            if (!node.Inputs.All(i => i.Length == 0 || constants.ContainsKey(i))) continue;
            var inputs = node.Inputs.Select(i => i.Length == 0 ? null : constants[i]).ToArray();
            Tensor[] outputs;
            try
            {
                outputs = operators[node].Forward(inputs);
            }
            catch (CnnLensException e)
            {
                throw new ModelLoadException($"node '{node.Name}' ({node.OpType}) fails on its constant inputs: {e.Message}", e);
            }
            for (int i = 0; i < node.Outputs.Length && i < outputs.Length; i++)
                if (node.Outputs[i].Length > 0) constants[node.Outputs[i]] = outputs[i];
        }
    }
}
