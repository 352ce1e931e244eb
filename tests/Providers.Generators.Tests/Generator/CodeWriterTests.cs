using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Providers.Generators.Emitting;

namespace Providers.Generators.Tests.Generator;

/// <summary>The writer reuses its builder between files; each file's text must still be its own.</summary>
public class CodeWriterTests
{
    [Fact]
    public void Writers_one_after_another_each_get_only_their_own_text()
    {
        var first = new CodeWriter().Open("namespace A").Line("class X { }").Close().ToString();
        var second = new CodeWriter().Line("// B").ToString();

        Assert.Equal("namespace A\n{\n    class X { }\n}\n", first);
        Assert.Equal("// B\n", second);
    }

    [Fact]
    public void Taking_the_text_twice_gives_the_same_text_and_writing_after_it_throws()
    {
        var writer = new CodeWriter().Line("a");
        var text = writer.ToString();
        _ = new CodeWriter().Line("another file").ToString();

        Assert.Equal("a\n", writer.ToString());
        Assert.Same(text, writer.ToString());
        Assert.Throws<InvalidOperationException>(() => writer.Line("b"));
    }

    [Fact]
    public void Lines_split_on_newlines_read_crlf_as_lf_and_keep_a_lone_cr()
    {
        var text = new CodeWriter().Open("x").Line("a\r\nb\n\nc\rd\r").Line().Close().ToString();

        Assert.Equal("x\n{\n    a\n    b\n\n    c\rd\r\n\n}\n", text);
    }

    // Pieces that end or start a line break, alone or split across two pieces ("\r" then "\n").
    private static readonly string[] Pieces = ["", "a", "\r", "\n", "\r\n", "b\r", "\nc", "d\re"];

    [Fact]
    public void An_interpolated_line_is_written_as_the_same_string_would_be_whatever_its_pieces()
    {
        foreach (var a in Pieces)
        {
            foreach (var b in Pieces)
            {
                foreach (var c in Pieces)
                {
                    var expected = "x\n{\n" + AsLines(a + "-" + b + c, 1) + AsLines(b + c, 1) + "}\n";
                    var written = new CodeWriter().Open($"{"x"}").Line($"{a}-{b}{c}").Write($"{b}").Line($"{c}").Close().ToString();
                    Assert.True(expected == written, $"pieces {Show(a)}, {Show(b)}, {Show(c)}: expected {Show(expected)}, written {Show(written)}");
                }
            }
        }
    }

    [Fact]
    public void Quoted_and_xml_holes_write_what_Literal_and_the_xml_escapes_give()
    {
        var value = "say \"hi\" \\ <b> & \n\r\t\u0001 é";
        var text = new CodeWriter().Line($"{CodeWriter.Quote(value)} {CodeWriter.Xml(value)} {7} {-3} {'q'}").ToString();

        Assert.Equal(
            AsLines(CodeWriter.Literal(value) + " " + value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;") + " 7 -3 q", 0),
            text);
        Assert.Equal("\"say \\\"hi\\\" \\\\ <b> & \\n\\r\\t\\u0001 é\"", CodeWriter.Literal(value));
    }

    [Fact]
    public void A_text_of_many_chunks_is_the_same_file_as_its_string()
    {
        // Lines of every length up to past a chunk, so chunk borders fall inside lines, indents and literals.
        var writer = new CodeWriter().Open("namespace N");
        var expected = new StringBuilder("namespace N\n{\n");
        var random = new Random(7);
        for (var i = 0; expected.Length < (3 * CodeWriter.ChunkSize) + 100; i++)
        {
            var word = new string((char)('a' + (i % 26)), random.Next(0, i % 5 == 0 ? CodeWriter.ChunkSize + 10 : 300));
            writer.Line($"var v{i} = {CodeWriter.Quote(word)};");
            expected.Append("    var v").Append(i).Append(" = \"").Append(word).Append("\";\n");
        }

        writer.Close();
        expected.Append("}\n");
        var text = writer.ToSourceText();
        var reference = SourceText.From(expected.ToString(), Encoding.UTF8);

        Assert.Equal(reference.Length, text.Length);
        Assert.Equal(reference.ToString(), text.ToString());
        Assert.True(text.ContentEquals(reference));
        Assert.Same(Encoding.UTF8, text.Encoding);
        Assert.Equal(reference.ChecksumAlgorithm, text.ChecksumAlgorithm);
        Assert.Equal(reference.GetChecksum().ToArray(), text.GetChecksum().ToArray());
        Assert.Equal(reference.Lines.Count, text.Lines.Count);
        for (var i = 0; i < 2000; i++)
        {
            var start = random.Next(reference.Length);
            var count = random.Next(Math.Min(reference.Length - start, 2 * CodeWriter.ChunkSize) + 1);
            var fromText = new char[count + 2];
            var fromReference = new char[count + 2];
            text.CopyTo(start, fromText, 1, count);
            reference.CopyTo(start, fromReference, 1, count);
            Assert.Equal(fromReference, fromText);
            Assert.Equal(reference[start], text[start]);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => text[text.Length]);
        Assert.Throws<ArgumentOutOfRangeException>(() => text.CopyTo(text.Length - 1, new char[4], 0, 2));
        Assert.Equal(
            CSharpSyntaxTree.ParseText(reference).GetRoot().ToFullString(),
            CSharpSyntaxTree.ParseText(text).GetRoot().ToFullString());
        Assert.Equal(expected.ToString(), writer.ToString());
    }

    // What Line(string) wrote before lines were written in pieces: each line of the text indented unless empty, a '\r'
    // before a '\n' dropped, a line break after the last line.
    private static string AsLines(string text, int depth)
    {
        var lines = text.Split('\n');
        var result = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = i < lines.Length - 1 && lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            if (line.Length > 0)
            {
                result.Append(' ', depth * 4).Append(line);
            }

            result.Append('\n');
        }

        return result.ToString();
    }

    private static string Show(string text) => "\"" + text.Replace("\r", "\\r").Replace("\n", "\\n") + "\"";
}
