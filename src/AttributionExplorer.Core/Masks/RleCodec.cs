using System.Text;

namespace AttributionExplorer.Core.Masks;

/// <summary>COCO run-length encoding, compatible with pycocotools (column-major pixels, runs start with zeros,
/// compressed counts as LEB128-like 5-bit chunks offset by 48, deltas against counts[i-2] for i &gt; 2).</summary>
public static class RleCodec
{
    /// <summary>Encodes a row-major mask (index = y·width + x) into column-major COCO counts.</summary>
    public static RleMask Encode(ReadOnlySpan<bool> rowMajor, int height, int width)
    {
        if (rowMajor.Length != height * width)
            throw new ArgumentException($"mask has {rowMajor.Length} pixels, expected {height}×{width}");
        var counts = new List<int>();
        bool current = false;
        int run = 0;
        for (int x = 0; x < width; x++)
        {
            for (int y = 0; y < height; y++)
            {
                bool v = rowMajor[y * width + x];
                if (v != current)
                {
                    counts.Add(run);
                    run = 0;
                    current = v;
                }
                run++;
            }
        }
        counts.Add(run);
        return new RleMask(height, width, counts.ToArray());
    }

    /// <summary>Decodes to a row-major mask (index = y·width + x).</summary>
    public static bool[] Decode(RleMask rle)
    {
        long total = (long)rle.Height * rle.Width;
        var rowMajor = new bool[total];
        long pos = 0;
        bool value = false;
        foreach (int count in rle.Counts)
        {
            if (count < 0) throw new FormatException("RLE counts must not be negative");
            if (pos + count > total) throw new FormatException($"RLE counts sum past {rle.Height}×{rle.Width} pixels");
            if (value)
            {
                for (long i = pos; i < pos + count; i++)
                {
                    long x = i / rle.Height, y = i % rle.Height;
                    rowMajor[y * rle.Width + x] = true;
                }
            }
            pos += count;
            value = !value;
        }
        if (pos != total) throw new FormatException($"RLE counts sum to {pos}, expected {total} ({rle.Height}×{rle.Width})");
        return rowMajor;
    }

    public static long Area(RleMask rle)
    {
        long area = 0;
        for (int i = 1; i < rle.Counts.Length; i += 2) area += rle.Counts[i];
        return area;
    }

    /// <summary>pycocotools' compressed string form of the counts.</summary>
    public static string ToCompressedString(IReadOnlyList<int> counts)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < counts.Count; i++)
        {
            long x = counts[i];
            if (i > 2) x -= counts[i - 2];
            bool more = true;
            while (more)
            {
                long c = x & 0x1f;
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) c |= 0x20;
                sb.Append((char)(c + 48));
            }
        }
        return sb.ToString();
    }

    /// <summary>Parses pycocotools' compressed counts string.</summary>
    public static int[] FromCompressedString(string s)
    {
        var counts = new List<int>();
        int p = 0;
        while (p < s.Length)
        {
            long x = 0;
            int k = 0;
            bool more = true;
            while (more)
            {
                if (p >= s.Length) throw new FormatException("compressed RLE string ends inside a count");
                int c = s[p] - 48;
                if (c < 0 || c > 63) throw new FormatException($"compressed RLE string has an invalid character '{s[p]}' at {p}");
                x |= (long)(c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) x |= -1L << (5 * k);
            }
            if (counts.Count > 2) x += counts[^2];
            if (x < 0 || x > int.MaxValue) throw new FormatException($"compressed RLE string decodes to an invalid count {x}");
            counts.Add((int)x);
        }
        return counts.ToArray();
    }
}
