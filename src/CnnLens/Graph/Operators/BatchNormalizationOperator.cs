using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Graph.Operators;

/// <summary>
/// ONNX BatchNormalization in inference mode: Y = scale * (X - mean) / sqrt(var + epsilon) + B, per
/// channel (or, for opset &lt; 9 with spatial = 0, per channel-and-position). Only Y is produced.
/// Backward gives gradients for X, scale, B, mean and var.
/// With training_mode = 1 (opset 14+, what <c>cnnlens train</c> runs) it normalises with the batch's
/// own mean and (biased) variance, also outputs the updated running statistics
/// (running = input · momentum + batch · (1 − momentum), as the ONNX spec says), and its backward
/// differentiates through the batch statistics.
/// </summary>
[OnnxOperator("BatchNormalization")]
public sealed unsafe class BatchNormalizationOperator : Operator
{
    private readonly float _epsilon;
    private readonly bool _spatial;
    private readonly bool _training;
    private readonly float _momentum;

    public BatchNormalizationOperator(OnnxAttributes attributes, int opset)
    {
        _epsilon = attributes.GetFloat("epsilon", 1e-5f);
        _spatial = opset >= 9 || attributes.GetInt("spatial", 1) != 0;
        _training = attributes.GetInt("training_mode", 0) != 0;
        _momentum = attributes.GetFloat("momentum", 0.9f);
        if (_training && !_spatial)
            throw new UnsupportedOperatorException("BatchNormalization with training_mode=1 needs per-channel statistics (spatial=1)");
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var (x, scale, bias, mean, variance, groups, inner) = Inputs(inputs);
        if (_training) return ForwardTraining(x, scale, bias, mean, variance, groups, inner);
        var y = Tensor.Uninitialized(x.ShapeArray);
        int outer = x.Length / (groups * inner);
        for (int p = 0; p < groups; p++)
        {
            float factor = scale.Data[p] / MathF.Sqrt(variance.Data[p] + _epsilon);
            float shift = bias.Data[p] - mean.Data[p] * factor;
            for (int n = 0; n < outer; n++)
            {
                int offset = (n * groups + p) * inner;
                fixed (float* source = &x.Data[offset], target = &y.Data[offset])
                    VectorLoops.ScaleShift(source, target, factor, shift, inner);
            }
        }
        return [y];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var (x, scale, bias, mean, variance, groups, inner) = Inputs(inputs);
        var result = new Tensor?[inputs.Length];
        var dy = outputGradients.Length > 0 ? outputGradients[0] : null;
        if (dy is null) return result;
        if (_training) return BackwardTraining(x, scale, dy, groups, inner, result);
        var dx = new Tensor(x.ShapeArray);
        Tensor dScale = new(scale.ShapeArray), dBias = new(bias.ShapeArray), dMean = new(mean.ShapeArray), dVariance = new(variance.ShapeArray);
        int outer = x.Length / (groups * inner);
        for (int p = 0; p < groups; p++)
        {
            double inverseStd = 1.0 / Math.Sqrt(variance.Data[p] + (double)_epsilon);
            float factor = (float)(scale.Data[p] * inverseStd);
            double sumGradient = 0, sumGradientCentered = 0;
            for (int n = 0; n < outer; n++)
            {
                int offset = (n * groups + p) * inner;
                for (int i = offset; i < offset + inner; i++)
                {
                    float g = dy.Data[i];
                    dx.Data[i] = g * factor;
                    sumGradient += g;
                    sumGradientCentered += g * (x.Data[i] - (double)mean.Data[p]);
                }
            }
            dBias.Data[p] = (float)sumGradient;
            dScale.Data[p] = (float)(sumGradientCentered * inverseStd);
            dMean.Data[p] = (float)(-sumGradient * scale.Data[p] * inverseStd);
            dVariance.Data[p] = (float)(-0.5 * sumGradientCentered * scale.Data[p] * inverseStd * inverseStd * inverseStd);
        }
        result[0] = dx;
        result[1] = dScale;
        result[2] = dBias;
        result[3] = dMean;
        result[4] = dVariance;
        return result;
    }

    private Tensor[] ForwardTraining(Tensor x, Tensor scale, Tensor bias, Tensor mean, Tensor variance, int channels, int inner)
    {
        var y = new Tensor(x.ShapeArray);
        Tensor runningMean = new(mean.ShapeArray), runningVariance = new(variance.ShapeArray);
        int outer = x.Length / (channels * inner);
        for (int c = 0; c < channels; c++)
        {
            var (batchMean, batchVariance) = BatchStatistics(x, c, channels, inner);
            float factor = (float)(scale.Data[c] / Math.Sqrt(batchVariance + _epsilon));
            float shift = (float)(bias.Data[c] - batchMean * factor);
            for (int n = 0; n < outer; n++)
            {
                int offset = (n * channels + c) * inner;
                fixed (float* source = &x.Data[offset], target = &y.Data[offset])
                    VectorLoops.ScaleShift(source, target, factor, shift, inner);
            }
            runningMean.Data[c] = (float)(mean.Data[c] * _momentum + batchMean * (1 - _momentum));
            runningVariance.Data[c] = (float)(variance.Data[c] * _momentum + batchVariance * (1 - _momentum));
        }
        return [y, runningMean, runningVariance];
    }

    /// <summary>
    /// Through the batch statistics: with x̂ = (x − μ)/σ over the M values of a channel,
    /// dX = γ/σ · (dY − mean(dY) − x̂ · mean(dY · x̂)), dγ = Σ dY · x̂, dβ = Σ dY.
    /// </summary>
    private Tensor?[] BackwardTraining(Tensor x, Tensor scale, Tensor dy, int channels, int inner, Tensor?[] result)
    {
        var dx = new Tensor(x.ShapeArray);
        Tensor dScale = new(scale.ShapeArray), dBias = new(scale.ShapeArray);
        int outer = x.Length / (channels * inner);
        double count = (double)outer * inner;
        for (int c = 0; c < channels; c++)
        {
            var (batchMean, batchVariance) = BatchStatistics(x, c, channels, inner);
            double inverseStd = 1.0 / Math.Sqrt(batchVariance + _epsilon);
            double sumGradient = 0, sumGradientNormalized = 0;
            for (int n = 0; n < outer; n++)
            {
                int offset = (n * channels + c) * inner;
                for (int i = offset; i < offset + inner; i++)
                {
                    sumGradient += dy.Data[i];
                    sumGradientNormalized += dy.Data[i] * (x.Data[i] - batchMean) * inverseStd;
                }
            }
            double meanGradient = sumGradient / count, meanGradientNormalized = sumGradientNormalized / count;
            double factor = scale.Data[c] * inverseStd;
            for (int n = 0; n < outer; n++)
            {
                int offset = (n * channels + c) * inner;
                for (int i = offset; i < offset + inner; i++)
                {
                    double normalized = (x.Data[i] - batchMean) * inverseStd;
                    dx.Data[i] = (float)(factor * (dy.Data[i] - meanGradient - normalized * meanGradientNormalized));
                }
            }
            dScale.Data[c] = (float)sumGradientNormalized;
            dBias.Data[c] = (float)sumGradient;
        }
        result[0] = dx;
        result[1] = dScale;
        result[2] = dBias;
        return result;
    }

    /// <summary>Mean and biased variance of channel <paramref name="c"/> over batch and positions (in double).</summary>
    private static (double Mean, double Variance) BatchStatistics(Tensor x, int c, int channels, int inner)
    {
        int outer = x.Length / (channels * inner);
        double sum = 0, sumSquares = 0;
        for (int n = 0; n < outer; n++)
        {
            int offset = (n * channels + c) * inner;
            for (int i = offset; i < offset + inner; i++) sum += x.Data[i];
        }
        double count = (double)outer * inner, mean = sum / count;
        for (int n = 0; n < outer; n++)
        {
            int offset = (n * channels + c) * inner;
            for (int i = offset; i < offset + inner; i++)
            {
                double d = x.Data[i] - mean;
                sumSquares += d * d;
            }
        }
        return (mean, sumSquares / count);
    }

    private (Tensor X, Tensor Scale, Tensor B, Tensor Mean, Tensor Var, int Groups, int Inner) Inputs(Tensor?[] inputs)
    {
        if (inputs.Length < 5 || inputs.Take(5).Any(t => t is null))
            throw new ShapeMismatchException("BatchNormalization needs inputs X, scale, B, mean and var");
        var x = inputs[0]!;
        if (x.Rank < 2) throw new ShapeMismatchException($"BatchNormalization: input {x} needs shape [N, C, ...]");
        int channels = x.Dim(1), spatial = x.Length / Math.Max(1, x.Dim(0) * channels);
        // Per channel normally; spatial = 0 (old opsets) keeps one statistic per channel and position.
        int groups = _spatial ? channels : channels * spatial, inner = _spatial ? spatial : 1;
        for (int i = 1; i < 5; i++)
            if (inputs[i]!.Length != groups)
                throw new ShapeMismatchException($"BatchNormalization: input {i} {inputs[i]} needs {groups} values for X {x}");
        return (x, inputs[1]!, inputs[2]!, inputs[3]!, inputs[4]!, groups, inner);
    }
}
