using System.Diagnostics;
using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Benchmarks;

/// <summary>
/// Where forward and reverse time goes, per op type: `-- profile MODEL.onnx [runs]` runs the whole
/// graph (every value kept, as attribution does) and the reverse pass from the first logit to the
/// input node by node with a stopwatch around each operator, and prints total milliseconds per op
/// type (median run) plus the managed bytes allocated per forward and per reverse pass.
/// </summary>
public static class NodeProfile
{
    public static void Run(string[] args)
    {
        var model = Model.Load(args[1]);
        int runs = args.Length > 2 ? int.Parse(args[2]) : 10;
        var input = new Tensor(model.SampleInputShape());
        var random = new Random(1234);
        for (int i = 0; i < input.Length; i++) input.Data[i] = (float)(random.NextDouble() * 2 - 1);

        var forward = new Dictionary<string, List<double>>();
        var backward = new Dictionary<string, List<double>>();
        long forwardBytes = 0, backwardBytes = 0;
        for (int r = -2; r < runs; r++)
        {
            var f = new Dictionary<string, double>();
            long before = GC.GetAllocatedBytesForCurrentThread();
            var values = (Tensor?[])model.Graph.Constants.Clone();
            values[model.Graph.InputSlot] = input;
            foreach (var node in model.Graph.Nodes)
            {
                long start = Stopwatch.GetTimestamp();
                Executor.Execute(node, values);
                Add(f, node.OpType, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            long afterForward = GC.GetAllocatedBytesForCurrentThread();

            var b = new Dictionary<string, double>();
            var gradients = new Tensor?[model.Graph.SlotCount];
            int logits = model.Graph.SlotOf(model.LogitsName);
            var seed = new Tensor(values[logits]!.ShapeArray);
            seed.Data[0] = 1;
            gradients[logits] = seed;
            for (int n = model.Graph.Nodes.Count - 1; n >= 0; n--)
            {
                var node = model.Graph.Nodes[n];
                var outputGradients = node.OutputSlots.Select(s => s < 0 ? null : gradients[s]).ToArray();
                if (outputGradients.All(g => g is null)) continue;
                var needed = node.InputSlots.Select(s => s >= 0 && model.Graph.Constants[s] is null && !model.Graph.ShapeStatic[s]).ToArray();
                if (!needed.Any(x => x)) continue;
                var inputs = node.InputSlots.Select(s => s < 0 ? null : values[s]).ToArray();
                var outputs = node.OutputSlots.Select(s => values[s]!).ToArray();
                long start = Stopwatch.GetTimestamp();
                var inputGradients = node.Operator.Backward(inputs, outputs, outputGradients, needed);
                Add(b, node.OpType, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                for (int i = 0; i < node.InputSlots.Length; i++)
                {
                    int s = node.InputSlots[i];
                    if (s < 0 || !needed[i] || inputGradients[i] is not { } g) continue;
                    if (gradients[s] is { } existing)
                    {
                        var sum = new Tensor(g.ShapeArray);
                        System.Numerics.Tensors.TensorPrimitives.Add(existing.Data, g.Data, sum.Data);
                        gradients[s] = sum;
                    }
                    else gradients[s] = g;
                }
            }
            long afterBackward = GC.GetAllocatedBytesForCurrentThread();
            if (r < 0) continue;
            forwardBytes = afterForward - before;
            backwardBytes = afterBackward - afterForward;
            foreach (var (k, v) in f) (forward.TryGetValue(k, out var l) ? l : forward[k] = []).Add(v);
            foreach (var (k, v) in b) (backward.TryGetValue(k, out var l) ? l : backward[k] = []).Add(v);
        }
        Print("forward", forward, forwardBytes);
        Print("backward", backward, backwardBytes);
    }

    private static void Add(Dictionary<string, double> d, string key, double ms) => d[key] = d.GetValueOrDefault(key) + ms;

    private static void Print(string title, Dictionary<string, List<double>> times, long bytes)
    {
        Console.WriteLine($"--- {title} (median ms per op type; {bytes / 1048576.0:F1} MB allocated per pass)");
        double total = 0;
        foreach (var (op, list) in times.OrderByDescending(kv => Median(kv.Value)))
        {
            double m = Median(list);
            total += m;
            Console.WriteLine($"{op,-24} {m,9:F2} (min {list.Min(),8:F2})");
        }
        Console.WriteLine($"{"sum",-24} {total,9:F2}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
