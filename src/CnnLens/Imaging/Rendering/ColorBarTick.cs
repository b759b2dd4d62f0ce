namespace CnnLens.Imaging.Rendering;

/// <summary>A tick: the attribution value and its pixel offset along the bar (from the top for vertical bars, from the left for horizontal ones).</summary>
public readonly record struct ColorBarTick(float Value, int Position);
