using System.Globalization;

namespace CnnLens.Reports;

/// <summary>
/// Parses the Python dict literal in a .npy header, e.g. <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>.
/// Values come back as string, bool, List&lt;long&gt; (tuples) or, for anything else (structured
/// dtypes' lists), a placeholder object.
/// </summary>
internal static class NpyHeaderParser
{
    /// <summary>Stands for a value the reader does not interpret (a list or nested structure).</summary>
    private static readonly object Unsupported = new();

    public static Dictionary<string, object> Parse(string text, string sourceName)
    {
        int pos = 0;
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        SkipSpace(text, ref pos);
        Expect(text, ref pos, '{', sourceName);
        while (true)
        {
            SkipSpace(text, ref pos);
            if (Peek(text, pos) == '}') break;
            string key = ReadString(text, ref pos, sourceName);
            SkipSpace(text, ref pos);
            Expect(text, ref pos, ':', sourceName);
            SkipSpace(text, ref pos);
            result[key] = ReadValue(text, ref pos, sourceName);
            SkipSpace(text, ref pos);
            if (Peek(text, pos) == ',') pos++;
            else if (Peek(text, pos) != '}') throw Bad(sourceName);
        }
        return result;
    }

    private static object ReadValue(string text, ref int pos, string sourceName)
    {
        char c = Peek(text, pos);
        if (c is '\'' or '"') return ReadString(text, ref pos, sourceName);
        if (c == '(') return ReadTuple(text, ref pos, sourceName);
        if (c == '[') { SkipBracketed(text, ref pos, sourceName); return Unsupported; }
        if (Matches(text, ref pos, "True")) return true;
        if (Matches(text, ref pos, "False")) return false;
        throw Bad(sourceName);
    }

    private static List<long> ReadTuple(string text, ref int pos, string sourceName)
    {
        var values = new List<long>();
        Expect(text, ref pos, '(', sourceName);
        while (true)
        {
            SkipSpace(text, ref pos);
            if (Peek(text, pos) == ')') { pos++; return values; }
            int start = pos;
            while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
            // Python 2 era files may write 3L for a long.
            if (!long.TryParse(text.AsSpan(start, pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                throw Bad(sourceName);
            if (Peek(text, pos) == 'L') pos++;
            values.Add(value);
            SkipSpace(text, ref pos);
            if (Peek(text, pos) == ',') pos++;
            else if (Peek(text, pos) != ')') throw Bad(sourceName);
        }
    }

    private static string ReadString(string text, ref int pos, string sourceName)
    {
        char quote = Peek(text, pos);
        if (quote is not ('\'' or '"')) throw Bad(sourceName);
        int end = text.IndexOf(quote, pos + 1);
        if (end < 0) throw Bad(sourceName);
        string value = text.Substring(pos + 1, end - pos - 1);
        pos = end + 1;
        return value;
    }

    private static void SkipBracketed(string text, ref int pos, string sourceName)
    {
        int depth = 0;
        for (; pos < text.Length; pos++)
        {
            if (text[pos] is '[' or '(') depth++;
            else if (text[pos] is ']' or ')' && --depth == 0) { pos++; return; }
        }
        throw Bad(sourceName);
    }

    private static bool Matches(string text, ref int pos, string word)
    {
        if (string.CompareOrdinal(text, pos, word, 0, word.Length) != 0) return false;
        pos += word.Length;
        return true;
    }

    private static char Peek(string text, int pos) => pos < text.Length ? text[pos] : '\0';

    private static void SkipSpace(string text, ref int pos)
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
    }

    private static void Expect(string text, ref int pos, char c, string sourceName)
    {
        if (Peek(text, pos) != c) throw Bad(sourceName);
        pos++;
    }

    private static DataFormatException Bad(string sourceName) =>
        new($"cannot read '{sourceName}': its .npy header is not a valid dictionary; the file is corrupt, save it again with numpy.save");
}
