namespace CnnLens.Reports;

/// <summary>One of the model's top classes for an image: index, name (null when the model has no names), softmax probability and logit.</summary>
public sealed record ClassPrediction(int Index, string? Name, double Probability, float Logit);
