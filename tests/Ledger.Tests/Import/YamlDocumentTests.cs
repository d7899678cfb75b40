using Ledger.Domain.Recording;
using System.Text;
using Ledger.Import;

namespace Ledger.Tests.Import;

/// <summary>
/// The one YAML entry point of import files and request bodies: hostile shapes (deep nesting, alias bombs, more
/// than one document) are refused with an error naming the file, the line and "(syntax)", before any node is built.
/// </summary>
public class YamlDocumentTests
{
    private const string File = "events/talks/hostile.yaml";

    private static (Fields? Fields, InputError? Error) Load(string text)
    {
        var errors = new List<InputError>();
        var fields = YamlDocument.Load(File, text, errors);
        return (fields, errors.Count == 0 ? null : Assert.Single(errors));
    }

    private static InputError Refused(string text)
    {
        var (fields, error) = Load(text);
        Assert.Null(fields);
        Assert.NotNull(error);
        Assert.Equal(File, error.File);
        Assert.Equal("(syntax)", error.Field);
        return error;
    }

    [Theory]
    [InlineData('[', 30_000)]
    [InlineData('{', 5_000)]
    [InlineData('[', YamlDocument.MaxDepth + 1)]
    public void Nesting_deeper_than_the_limit_is_refused_without_building_it(char open, int depth)
    {
        var text = "negotiation: talks\ndevelopments: " + new string(open, depth);

        var error = Refused(text);

        Assert.Contains($"deeper than {YamlDocument.MaxDepth}", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Deep_block_nesting_is_refused_too()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            text.Append(' ', i * 2).Append("k:\n");
        }

        var error = Refused(text.Append(' ', 400).Append("v\n").ToString());

        Assert.Contains($"deeper than {YamlDocument.MaxDepth}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_read()
    {
        // The root mapping is one level; the value nests the rest.
        var depth = YamlDocument.MaxDepth - 1;
        var (fields, error) = Load("negotiation: talks\ndevelopments: " + new string('[', depth) + new string(']', depth));

        Assert.Null(error);
        Assert.NotNull(fields);
    }

    [Fact]
    public void An_alias_bomb_is_refused()
    {
        // Nine levels of ten aliases each: a billion scalars once expanded, in a few hundred bytes.
        var text = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            text.Append($"{level}: &{level} [{string.Join(",", Enumerable.Repeat($"*{previous}", 9))}]\n");
        }

        var error = Refused(text.ToString());

        Assert.Contains("alias", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Few_aliases_that_expand_to_too_many_nodes_are_refused()
    {
        // Under the alias limit, but each alias doubles what the one before it names.
        var text = new StringBuilder("a0: &a0 [" + string.Join(",", Enumerable.Repeat("x", 64)) + "]\n");
        for (var i = 1; i <= 20; i++)
        {
            text.Append($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n");
        }

        var error = Refused(text.ToString());

        Assert.Contains("nodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_inside_the_node_it_names_is_refused()
    {
        var error = Refused("negotiation: talks\nloop: &loop [1, *loop]\n");

        Assert.Contains("inside", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_few_aliases_are_still_read()
    {
        var (fields, error) = Load("party: &north north\nproposed-by: *north\n");

        Assert.Null(error);
        Assert.Equal("north", fields!.Optional("proposed-by"));
    }

    [Fact]
    public void A_second_document_is_refused_not_ignored()
    {
        var error = Refused("negotiation: talks\n---\nnegotiation: other\n");

        Assert.Contains("more than one", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void One_document_with_explicit_markers_is_read()
    {
        var (fields, error) = Load("---\nnegotiation: talks\n...\n");

        Assert.Null(error);
        Assert.Equal("talks", fields!.Optional("negotiation"));
    }

    [Fact]
    public void The_sample_files_are_well_within_the_limits()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "Samples");
        foreach (var path in Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories))
        {
            var errors = new List<InputError>();
            Assert.NotNull(YamlDocument.Load(path, System.IO.File.ReadAllText(path), errors));
            Assert.Empty(errors);
        }
    }
}
