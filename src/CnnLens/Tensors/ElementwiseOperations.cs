using System.Runtime.Intrinsics;

namespace CnnLens.Tensors;

// The elementwise functions the kernels are instantiated with. Each is a struct so the generic
// loops in Elementwise/Broadcasting are specialised and inlined per function.

/// <summary>a + b.</summary>
public readonly struct AddOperation : IBinaryOperation
{
    public static float Invoke(float a, float b) => a + b;
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a + b;
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a + b;
}

/// <summary>a − b.</summary>
public readonly struct SubtractOperation : IBinaryOperation
{
    public static float Invoke(float a, float b) => a - b;
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a - b;
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a - b;
}

/// <summary>a · b.</summary>
public readonly struct MultiplyOperation : IBinaryOperation
{
    public static float Invoke(float a, float b) => a * b;
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a * b;
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a * b;
}

/// <summary>a / b.</summary>
public readonly struct DivideOperation : IBinaryOperation
{
    public static float Invoke(float a, float b) => a / b;
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a / b;
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a / b;
}

/// <summary>Integer division truncating toward zero (ONNX Div on integer tensors, like C).</summary>
public readonly struct TruncatedDivideOperation : IBinaryOperation
{
    public static float Invoke(float a, float b) => MathF.Truncate(a / b);
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.Truncate(a / b);
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.Truncate(a / b);
}

/// <summary>max(a, b).</summary>
public readonly struct MaxOperation : IBinaryOperation
{
    public static float Invoke(float a, float b) => MathF.Max(a, b);
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
}

/// <summary>min(a, b).</summary>
public readonly struct MinOperation : IBinaryOperation
{
    public static float Invoke(float a, float b) => MathF.Min(a, b);
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);
}

/// <summary>max(x, 0).</summary>
public readonly struct ReluOperation : IUnaryOperation
{
    public static float Invoke(float x) => x > 0 ? x : 0;
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
}

/// <summary>1 / (1 + e^−x), written to stay finite for large |x|.</summary>
public readonly struct SigmoidOperation : IUnaryOperation
{
    public static float Invoke(float x) => x >= 0 ? 1f / (1f + MathF.Exp(-x)) : MathF.Exp(x) / (1f + MathF.Exp(x));
    public static Vector256<float> Invoke(Vector256<float> x)
    {
        // e^−|x| never overflows; pick e/(1+e) or 1/(1+e) by sign.
        var e = Vector256.Exp(-Vector256.Abs(x));
        var one = Vector256<float>.One;
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), one / (one + e), e / (one + e));
    }
    public static Vector512<float> Invoke(Vector512<float> x)
    {
        var e = Vector512.Exp(-Vector512.Abs(x));
        var one = Vector512<float>.One;
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), one / (one + e), e / (one + e));
    }
}

/// <summary>tanh(x) = 1 − 2 / (e^{2x} + 1), clamped so e^{2x} stays finite.</summary>
public readonly struct TanhOperation : IUnaryOperation
{
    public static float Invoke(float x) => MathF.Tanh(x);
    public static Vector256<float> Invoke(Vector256<float> x)
    {
        var c = Vector256.Min(Vector256.Max(x, Vector256.Create(-20f)), Vector256.Create(20f));
        var e = Vector256.Exp(c + c);
        return Vector256<float>.One - Vector256.Create(2f) / (e + Vector256<float>.One);
    }
    public static Vector512<float> Invoke(Vector512<float> x)
    {
        var c = Vector512.Min(Vector512.Max(x, Vector512.Create(-20f)), Vector512.Create(20f));
        var e = Vector512.Exp(c + c);
        return Vector512<float>.One - Vector512.Create(2f) / (e + Vector512<float>.One);
    }
}

/// <summary>e^x.</summary>
public readonly struct ExpOperation : IUnaryOperation
{
    public static float Invoke(float x) => MathF.Exp(x);
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Exp(x);
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Exp(x);
}

/// <summary>ln x.</summary>
public readonly struct LogOperation : IUnaryOperation
{
    public static float Invoke(float x) => MathF.Log(x);
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Log(x);
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Log(x);
}

/// <summary>√x.</summary>
public readonly struct SqrtOperation : IUnaryOperation
{
    public static float Invoke(float x) => MathF.Sqrt(x);
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Sqrt(x);
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Sqrt(x);
}

/// <summary>−x.</summary>
public readonly struct NegateOperation : IUnaryOperation
{
    public static float Invoke(float x) => -x;
    public static Vector256<float> Invoke(Vector256<float> x) => -x;
    public static Vector512<float> Invoke(Vector512<float> x) => -x;
}

/// <summary>|x|.</summary>
public readonly struct AbsOperation : IUnaryOperation
{
    public static float Invoke(float x) => MathF.Abs(x);
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Abs(x);
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Abs(x);
}

/// <summary>1 / x.</summary>
public readonly struct ReciprocalOperation : IUnaryOperation
{
    public static float Invoke(float x) => 1f / x;
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / x;
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / x;
}

/// <summary>1 where a = b, else 0.</summary>
public readonly struct EqualOperation : IBinaryOperation
{
    public static float Invoke(float a, float b) => a == b ? 1 : 0;
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b) & Vector256<float>.One;
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a, b) & Vector512<float>.One;
}

/// <summary>1 where a &lt; b, else 0.</summary>
public readonly struct LessOperation : IBinaryOperation
{
    public static float Invoke(float a, float b) => a < b ? 1 : 0;
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b) & Vector256<float>.One;
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b) & Vector512<float>.One;
}

/// <summary>1 where a ≤ b, else 0.</summary>
public readonly struct LessOrEqualOperation : IBinaryOperation
{
    public static float Invoke(float a, float b) => a <= b ? 1 : 0;
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.LessThanOrEqual(a, b) & Vector256<float>.One;
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.LessThanOrEqual(a, b) & Vector512<float>.One;
}

/// <summary>1 where x = 0, else 0 (logical not of a 0/1 tensor).</summary>
public readonly struct NotOperation : IUnaryOperation
{
    public static float Invoke(float x) => x == 0 ? 1 : 0;
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Equals(x, Vector256<float>.Zero) & Vector256<float>.One;
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Equals(x, Vector512<float>.Zero) & Vector512<float>.One;
}

/// <summary>The ReLU gradient: b (the output gradient) where a (the input) is positive, else 0.</summary>
public readonly struct ReluGradientOperation : IBinaryOperation
{
    public static float Invoke(float a, float b) => a > 0 ? b : 0;
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThan(a, Vector256<float>.Zero) & b;
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThan(a, Vector512<float>.Zero) & b;
}
