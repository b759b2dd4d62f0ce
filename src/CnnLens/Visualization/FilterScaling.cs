namespace CnnLens.Visualization;

/// <summary>How filter weights w become grey levels v in [0, 1] (pixel = round(255·v)).</summary>
public enum FilterScaling
{
    /// <summary>
    /// v = 0.5 + 0.5·w / m with m = max |w| over the scope: zero weights are mid-grey, the strongest
    /// positive weight white, the strongest negative black; signs stay comparable. m = 0 gives 0.5.
    /// </summary>
    SymmetricMaxAbs,

    /// <summary>v = (w − min) / (max − min) over the scope: uses the full grey range; a constant scope gives 0.5.</summary>
    MinMax,
}
