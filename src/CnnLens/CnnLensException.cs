namespace CnnLens;

/// <summary>
/// Base of every error a user can cause (bad file, unsupported model, wrong shape, bad option).
/// The message is one line that names the problem and what to do; the CLI prints it and exits with code 2.
/// </summary>
public class CnnLensException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A model file that cannot be read: missing, not ONNX, truncated, or inconsistent.</summary>
public class ModelLoadException(string message, Exception? inner = null) : CnnLensException(message, inner);

/// <summary>One or more operators (or operator variants) that the engine does not implement.</summary>
public class UnsupportedOperatorException(string message) : CnnLensException(message);

/// <summary>An input tensor whose shape or type does not fit the model or operator.</summary>
public class ShapeMismatchException(string message) : CnnLensException(message);

/// <summary>A data file (.npy, image, label file) that cannot be read or written.</summary>
public class DataFormatException(string message, Exception? inner = null) : CnnLensException(message, inner);

/// <summary>An option value outside what the method or command accepts.</summary>
public class InvalidOptionException(string message) : CnnLensException(message);
