using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// Folds every BatchNormalization that directly follows a Conv or Gemm (its only consumer) into that
/// layer's weights and bias, so LRP's weighted-layer rules see the layer the network really applies
/// (Zennit's SequentialMergeBatchNorm). Returns a new model with new weight tensors; the source is untouched.
/// </summary>
public static class LrpCanonizer
{
    public static OnnxModel FoldBatchNorms(OnnxModel model)
    {
        var graph = model.Graph;
        var consumers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
            foreach (var name in node.Inputs)
                if (name.Length > 0) consumers[name] = consumers.GetValueOrDefault(name) + 1;
        foreach (var output in graph.Outputs) consumers[output.Name] = consumers.GetValueOrDefault(output.Name) + 1;
        var producer = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
            foreach (var name in node.Outputs) producer[name] = node;

        var initializers = new Dictionary<string, Tensor>(graph.Initializers, StringComparer.Ordinal);
        var replaced = new Dictionary<OnnxNode, OnnxNode>();
        var removed = new HashSet<OnnxNode>();
        var removedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var norm in graph.Nodes)
        {
            if (norm.OpType != "BatchNormalization" || norm.Inputs.Length < 5 || norm.Outputs.Length != 1) continue;
            if (!producer.TryGetValue(norm.Inputs[0], out var layer) || replaced.ContainsKey(layer) || consumers[norm.Inputs[0]] != 1) continue;
            if (norm.Attributes.GetInt("spatial", 1) == 0 || norm.Attributes.GetInt("training_mode", 0) != 0) continue;
            if (norm.Inputs[1..5].Any(n => !initializers.ContainsKey(n))) continue;
            var folded = Fold(layer, norm, initializers);
            if (folded is null) continue;
            replaced[layer] = folded;
            removed.Add(norm);
            removedNames.Add(norm.Inputs[0]);
        }

        return new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Name = graph.Name,
                Nodes = graph.Nodes.Where(n => !removed.Contains(n)).Select(n => replaced.GetValueOrDefault(n, n)).ToList(),
                Initializers = initializers,
                Inputs = graph.Inputs.ToList(),
                Outputs = graph.Outputs.ToList(),
                ValueInfo = graph.ValueInfo.Where(v => !removedNames.Contains(v.Name)).ToList(),
            },
            Opsets = new Dictionary<string, int>(model.Opsets),
            IrVersion = model.IrVersion,
            ProducerName = model.ProducerName,
            ProducerVersion = model.ProducerVersion,
            Metadata = new Dictionary<string, string>(model.Metadata),
        };
    }

    /// <summary>The layer with BN(y) = factor·(y − mean) + shift folded in, or null when its form is not one we fold.</summary>
    private static OnnxNode? Fold(OnnxNode layer, OnnxNode norm, Dictionary<string, Tensor> initializers)
    {
        if (layer.OpType is not ("Conv" or "Gemm") || layer.Outputs.Length != 1 || layer.Inputs.Length < 2) return null;
        if (!initializers.TryGetValue(layer.Inputs[1], out var weights)) return null;
        Tensor? bias = null;
        if (layer.Inputs.Length > 2 && layer.Inputs[2].Length > 0 && !initializers.TryGetValue(layer.Inputs[2], out bias)) return null;
        bool transB = layer.Attributes.GetInt("transB", 0) != 0;
        if (layer.OpType == "Gemm" && (layer.Attributes.GetFloat("alpha", 1f) != 1f || layer.Attributes.GetFloat("beta", 1f) != 1f
            || layer.Attributes.GetInt("transA", 0) != 0 || weights.Rank != 2)) return null;

        int channels = layer.OpType == "Conv" || transB ? weights.Dim(0) : weights.Dim(1);
        var scale = initializers[norm.Inputs[1]];
        var shift = initializers[norm.Inputs[2]];
        var mean = initializers[norm.Inputs[3]];
        var variance = initializers[norm.Inputs[4]];
        if (scale.Length != channels || shift.Length != channels || mean.Length != channels || variance.Length != channels) return null;
        if (bias is not null && bias.Length != channels) return null;
        double epsilon = norm.Attributes.GetFloat("epsilon", 1e-5f);

        var newWeights = new Tensor(weights.ShapeArray);
        var newBias = new Tensor([channels]);
        int perChannel = weights.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            double factor = scale.Data[c] / Math.Sqrt(variance.Data[c] + epsilon);
            newBias.Data[c] = (float)(((bias?.Data[c] ?? 0) - mean.Data[c]) * factor + shift.Data[c]);
            if (layer.OpType == "Conv" || transB)
                for (int i = c * perChannel; i < (c + 1) * perChannel; i++) newWeights.Data[i] = (float)(weights.Data[i] * factor);
            else
                for (int k = 0; k < weights.Dim(0); k++) newWeights.Data[k * channels + c] = (float)(weights.Data[k * channels + c] * factor);
        }

        string weightsName = UniqueName(initializers, layer.Inputs[1] + ".bn_folded");
        initializers[weightsName] = newWeights;
        string biasName = UniqueName(initializers, (layer.Name.Length > 0 ? layer.Name : layer.Outputs[0]) + ".bn_folded_bias");
        initializers[biasName] = newBias;
        return new OnnxNode
        {
            Name = layer.Name,
            OpType = layer.OpType,
            Domain = layer.Domain,
            Inputs = [layer.Inputs[0], weightsName, biasName],
            Outputs = [norm.Outputs[0]],
            Attributes = layer.Attributes,
        };
    }

    private static string UniqueName(Dictionary<string, Tensor> initializers, string name)
    {
        string candidate = name;
        for (int i = 1; initializers.ContainsKey(candidate); i++) candidate = $"{name}_{i}";
        return candidate;
    }
}
