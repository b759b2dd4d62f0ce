namespace CnnLens.Visualization;

/// <summary>Which channels of a feature map an activation grid shows first.</summary>
public enum ChannelRanking
{
    /// <summary>Channel index order.</summary>
    Index,

    /// <summary>Decreasing mean activation over the map's positions.</summary>
    Mean,

    /// <summary>Decreasing maximum activation over the map's positions.</summary>
    Max,
}
