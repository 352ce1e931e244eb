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
}
