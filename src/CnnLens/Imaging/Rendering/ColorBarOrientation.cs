namespace CnnLens.Imaging.Rendering;

/// <summary>Direction of a colour bar: vertical bars have the maximum at the top, horizontal ones at the right.</summary>
public enum ColorBarOrientation
{
    Vertical,
    Horizontal,
}
