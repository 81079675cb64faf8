using System.Globalization;

namespace AttributionExplorer.Core.Embeddings;

/// <summary>Parses the Python dict literal of an .npy header, e.g.
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }</c>. Only the literals numpy writes are
/// understood: quoted strings, True/False, and tuples of integers.</summary>
internal sealed class NpyHeaderParser
{
    private readonly string _text;
    private readonly string _path;
    private int _pos;

    private NpyHeaderParser(string text, string path) => (_text, _path) = (text, path);

    public static (string Descr, bool FortranOrder, long[] Shape) Parse(string text, string path)
    {
        var parser = new NpyHeaderParser(text, path);
        var entries = parser.ParseDict();
        parser.SkipWhitespace();
        if (parser._pos != text.Length) throw parser.Error("unexpected text after the header dict");

        object Get(string key) => entries.TryGetValue(key, out var v)
            ? v : throw new InvalidDataException($"{path}: header has no '{key}' entry");
        return (
            Get("descr") as string ?? throw new InvalidDataException($"{path}: header 'descr' is not a string " +
                "(structured dtypes are not supported)"),
            Get("fortran_order") as bool? ?? throw new InvalidDataException($"{path}: header 'fortran_order' is not True/False"),
            Get("shape") as long[] ?? throw new InvalidDataException($"{path}: header 'shape' is not a tuple"));
    }

    private Dictionary<string, object> ParseDict()
    {
        Expect('{');
        var entries = new Dictionary<string, object>(StringComparer.Ordinal);
        while (true)
        {
            SkipWhitespace();
            if (TryConsume('}')) return entries;
            var key = ParseString();
            Expect(':');
            entries[key] = ParseValue();
            SkipWhitespace();
            if (TryConsume('}')) return entries;
            Expect(',');
        }
    }

    private object ParseValue()
    {
        SkipWhitespace();
        if (_pos >= _text.Length) throw Error("header ends where a value was expected");
        char c = _text[_pos];
        if (c is '\'' or '"') return ParseString();
        if (c == '(') return ParseTuple();
        if (TryConsumeWord("True")) return true;
        if (TryConsumeWord("False")) return false;
        if (c == '[') throw Error("structured dtypes (list descr) are not supported");
        throw Error($"unexpected character '{c}'");
    }

    private long[] ParseTuple()
    {
        Expect('(');
        var dims = new List<long>();
        while (true)
        {
            SkipWhitespace();
            if (TryConsume(')')) return [.. dims];
            dims.Add(ParseInteger());
            SkipWhitespace();
            if (TryConsume(')')) return [.. dims];
            Expect(',');
        }
    }

    private long ParseInteger()
    {
        int start = _pos;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
        if (start == _pos) throw Error("expected a non-negative integer in 'shape'");
        if (!long.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            throw Error($"shape dimension {_text[start.._pos]} is larger than {long.MaxValue}");
        if (_pos < _text.Length && _text[_pos] is 'L' or 'l') _pos++; // Python 2 long suffix
        return value;
    }

    private string ParseString()
    {
        SkipWhitespace();
        if (_pos >= _text.Length || _text[_pos] is not ('\'' or '"')) throw Error("expected a quoted string");
        char quote = _text[_pos++];
        int end = _text.IndexOf(quote, _pos);
        if (end < 0) throw Error("unterminated string");
        var value = _text[_pos..end];
        _pos = end + 1;
        return value;
    }

    private void Expect(char c)
    {
        SkipWhitespace();
        if (!TryConsume(c)) throw Error($"expected '{c}'");
    }

    private bool TryConsume(char c)
    {
        if (_pos < _text.Length && _text[_pos] == c) { _pos++; return true; }
        return false;
    }

    private bool TryConsumeWord(string word)
    {
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) return false;
        _pos += word.Length;
        return true;
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private InvalidDataException Error(string what) =>
        new($"{_path}: malformed header at character {_pos}: {what} in \"{_text.TrimEnd()}\"");
}
