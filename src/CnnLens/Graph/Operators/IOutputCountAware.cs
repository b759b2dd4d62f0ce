namespace CnnLens.Graph.Operators;

/// <summary>
/// Implemented by operators whose output count comes from the node rather than its attributes
/// (Split without sizes divides into as many parts as the node has outputs; Dropout's mask is
/// optional). The graph builder should call <see cref="SetOutputCount"/> right after creating it.
/// </summary>
public interface IOutputCountAware
{
    void SetOutputCount(int count);
}
