using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnLens.Imaging.Rendering;

/// <summary>
/// The per-pixel blend behind <see cref="Overlay"/>: out = (1 − a)·photo + a·colour, rounded half up.
/// An AVX2 path handles eight RGB(A) pixels per step with exactly the scalar arithmetic (same
/// operations in the same order, no FMA), so both paths give identical bytes.
/// </summary>
internal static class OverlayBlending
{
    internal readonly record struct Settings(Colormap Colormap, bool Centred, bool ByMagnitude, float Opacity, bool Gray, int Channels);

    /// <summary>Blends <paramref name="values"/>.Length pixels of <paramref name="photo"/> into RGB <paramref name="output"/>.</summary>
    public static void BlendRange(ReadOnlySpan<byte> photo, ReadOnlySpan<float> values, Span<byte> output, Settings settings)
    {
        int done = 0;
        if (Avx2.IsSupported && settings.Channels >= 3)
            done = BlendAvx2(photo, values, output, settings);
        BlendScalar(photo[(done * settings.Channels)..], values[done..], output[(done * 3)..], settings);
    }

    private static unsafe void BlendScalar(ReadOnlySpan<byte> photo, ReadOnlySpan<float> values, Span<byte> output, Settings settings)
    {
        var bad = settings.Colormap.Bad;
        int channels = settings.Channels;
        bool centred = settings.Centred, byMagnitude = settings.ByMagnitude, gray = settings.Gray;
        float opacity = settings.Opacity;
        fixed (byte* table = settings.Colormap.Table)
        fixed (byte* source = photo)
        fixed (float* heat = values)
        fixed (byte* destination = output)
        {
            for (int i = 0; i < values.Length; i++)
            {
                byte* pixelIn = source + i * channels;
                float r, g, b;
                if (channels < 3)
                {
                    r = g = b = pixelIn[0];
                }
                else
                {
                    r = pixelIn[0];
                    g = pixelIn[1];
                    b = pixelIn[2];
                    if (gray) r = g = b = (r + g + b) * (1f / 3f);
                }
                float value = heat[i];
                float alpha, hr, hg, hb;
                if (float.IsNaN(value))
                {
                    // A broken attribution should be visible: the bad colour, fully opaque.
                    alpha = 1f;
                    (hr, hg, hb) = (bad.R, bad.G, bad.B);
                }
                else
                {
                    alpha = byMagnitude ? opacity * MathF.Min(MathF.Abs(value), 1f) : opacity;
                    byte* entry = table + Colormap.IndexOf(Heatmap.ColorPosition(value, centred)) * 3;
                    (hr, hg, hb) = (entry[0], entry[1], entry[2]);
                }
                float keep = 1f - alpha;
                byte* pixelOut = destination + i * 3;
                pixelOut[0] = Resampling.ToByte(keep * r + alpha * hr);
                pixelOut[1] = Resampling.ToByte(keep * g + alpha * hg);
                pixelOut[2] = Resampling.ToByte(keep * b + alpha * hb);
            }
        }
    }

    /// <summary>Eight pixels per step; returns how many pixels it blended (always leaving at least one for the scalar tail).</summary>
    private static unsafe int BlendAvx2(ReadOnlySpan<byte> photo, ReadOnlySpan<float> values, Span<byte> output, Settings settings)
    {
        int count = values.Length, channels = settings.Channels;
        // Each lane reads and writes 4 bytes for a 3-byte pixel, so the last pixel is left to the scalar loop.
        int vectorEnd = count - 8;
        if (vectorEnd < 0) return 0;
        var lowByte = Vector256.Create(0xFF);
        var zero = Vector256<float>.Zero;
        var one = Vector256.Create(1f);
        var half = Vector256.Create(0.5f);
        var byteMax = Vector256.Create(255f);
        var third = Vector256.Create(1f / 3f);
        var opacity = Vector256.Create(settings.Opacity);
        var pixelOffsets = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * channels;
        bool centred = settings.Centred, byMagnitude = settings.ByMagnitude, gray = settings.Gray;
        int* packed = stackalloc int[8];
        int i = 0;
        fixed (int* table = settings.Colormap.PackedTable)
        fixed (byte* source = photo)
        fixed (float* heat = values)
        fixed (byte* destination = output)
        {
            for (; i < vectorEnd; i += 8)
            {
                var value = Avx.LoadVector256(heat + i);
                var isNaN = Avx.CompareUnordered(value, value);
                var magnitude = Vector256.Abs(value);
                var position = centred ? half + half * value : magnitude;
                var colour = Avx2.GatherVector256(table, Colormap.IndicesOf(position), 4);
                var hr = Avx.ConvertToVector256Single(colour & lowByte);
                var hg = Avx.ConvertToVector256Single(Avx2.ShiftRightLogical(colour, 8) & lowByte);
                var hb = Avx.ConvertToVector256Single(Avx2.ShiftRightLogical(colour, 16) & lowByte);
                var alpha = byMagnitude ? opacity * Avx.Min(magnitude, one) : opacity;
                alpha = Vector256.ConditionalSelect(isNaN, one, alpha);
                var keep = one - alpha;

                var pixels = Avx2.GatherVector256((int*)(source + i * channels), pixelOffsets, 1);
                var r = Avx.ConvertToVector256Single(pixels & lowByte);
                var g = Avx.ConvertToVector256Single(Avx2.ShiftRightLogical(pixels, 8) & lowByte);
                var b = Avx.ConvertToVector256Single(Avx2.ShiftRightLogical(pixels, 16) & lowByte);
                if (gray) r = g = b = (r + g + b) * third;

                var outR = ToBytes(keep * r + alpha * hr, half, zero, byteMax);
                var outG = ToBytes(keep * g + alpha * hg, half, zero, byteMax);
                var outB = ToBytes(keep * b + alpha * hb, half, zero, byteMax);
                var rgb = outR | Avx2.ShiftLeftLogical(outG, 8) | Avx2.ShiftLeftLogical(outB, 16);
                Avx.Store(packed, rgb);
                // In order, so each 4-byte write's spare byte is overwritten by the next pixel.
                byte* pixelOut = destination + i * 3;
                for (int k = 0; k < 8; k++) *(int*)(pixelOut + 3 * k) = packed[k];
            }
        }
        return i;
    }

    /// <summary>Resampling.ToByte for eight lanes: round half up, clamp to [0, 255].</summary>
    private static Vector256<int> ToBytes(Vector256<float> value, Vector256<float> half, Vector256<float> zero, Vector256<float> byteMax) =>
        Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.Max(value + half, zero), byteMax));
}
