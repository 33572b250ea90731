package jvpp.core.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one command tree: every module registers its commands here, next to the code they drive, and the
 * tree drives dispatch, {@code ?} help and completion alike.
 *
 * <p>Every word of a command path may be abbreviated to any unique prefix ({@code sh int}); an exact
 * word always wins over a longer one it is a prefix of. Input the tree does not know is reported as
 * {@code unknown input `<rest>'}, prefixed by the path matched so far ({@code show: unknown input `bogus'}).
 * Errors print as {@code <command path>: <message>}.
 *
 * <p>Thread: registration at boot; {@link #execute} on main (it runs the command); {@link #complete} and
 * {@link #help} read only the tree and may run on any thread once boot is over.
 */
public final class CliRegistry
{
    /** What a command's failure says when it threw instead of reporting: a bug, counted in {@link #internalErrors}. */
    public static final String INTERNAL_ERROR = "internal error: ";
    private long internalErrors;

    private final TreeNode root = new TreeNode("", null);

    private static final class TreeNode
    {
        final String word;
        final TreeNode parent;
        final Map<String, TreeNode> children = new TreeMap<>();
        CliCommand command;

        TreeNode(final String word, final TreeNode parent)
        {
            this.word = word;
            this.parent = parent;
        }

        String path()
        {
            if (parent == null)
            {
                return "";
            }
            final String p = parent.path();
            return p.isEmpty() ? word : p + " " + word;
        }
    }

    /** Register a command; its path must be new. */
    public void register(final CliCommand command)
    {
        TreeNode node = root;
        for (final String word : command.path().trim().split("\\s+"))
        {
            final TreeNode parent = node;
            node = node.children.computeIfAbsent(word, w -> new TreeNode(w, parent));
        }
        if (node.command != null)
        {
            throw new IllegalArgumentException("command `" + command.path() + "' is already registered");
        }
        node.command = command;
    }

    public void register(final String path, final String shortHelp, final String usage, final CliHandler handler)
    {
        register(new CliCommand(path, shortHelp, usage, handler));
    }

    /** Whether {@code path} is a registered command. */
    public boolean has(final String path)
    {
        TreeNode node = root;
        for (final String word : path.trim().split("\\s+"))
        {
            node = node.children.get(word);
            if (node == null)
            {
                return false;
            }
        }
        return node.command != null;
    }

    /** Run one command line. Blank lines and {@code #} comments succeed doing nothing. Thread: main. */
    public CliResult execute(final String line)
    {
        return run(line, true);
    }

    /**
     * Parse one command line as {@link #execute} would, and change nothing: the same result for a line that
     * is wrong, an empty success for one that would run. Parsers that look things up (interface names) see the
     * current state. Thread: main.
     */
    public CliResult check(final String line)
    {
        return run(line, false);
    }

    private CliResult run(final String line, final boolean apply)
    {
        final CliOutput out = new CliOutput();
        final String trimmed = line.trim();
        if (trimmed.isEmpty() || trimmed.startsWith("#"))
        {
            return new CliResult(true, "", false);
        }
        final List<String> words = CliInput.tokenize(trimmed);
        final Walk walk = walk(words);
        final TreeNode node = walk.node;
        final String rest = String.join(" ", words.subList(walk.consumed, words.size()));
        if (walk.ambiguous != null)
        {
            return fail(out, prefix(node) + "ambiguous input `" + walk.ambiguous + "' (" + String.join(", ", walk.candidates) + ")");
        }
        if (node.command == null)
        {
            if (node != root && rest.isEmpty())
            {
                out.println(prefix(node) + "incomplete command; one of:");
                listCommands(node, out);
                return new CliResult(false, out.toString(), false);
            }
            return fail(out, prefix(node) + "unknown input `" + rest + "'");
        }
        final CliCommand command = node.command;
        try
        {
            final CliInput in = new CliInput(new ArrayList<>(words.subList(walk.consumed, words.size())));
            final CliAction action = command.handler().parse(in);
            if (!in.atEnd())
            {
                throw in.unknown();
            }
            if (!apply)
            {
                return new CliResult(true, "", false);
            }
            action.run(out);
            return new CliResult(true, out.toString(), out.quitRequested());
        }
        catch (final CliException ex)
        {
            return fail(out, command.path() + ": " + ex.getMessage());
        }
        catch (final RuntimeException ex)
        {
            internalErrors++;
            return fail(out, command.path() + ": " + INTERNAL_ERROR + ex);
        }
    }

    /** How many command lines threw instead of reporting an error (each a bug; the CLI fuzzer watches this). */
    public long internalErrors()
    {
        return internalErrors;
    }

    private static CliResult fail(final CliOutput out, final String message)
    {
        out.println(message);
        return new CliResult(false, out.toString(), false);
    }

    private static String prefix(final TreeNode node)
    {
        return node.parent == null ? "" : node.path() + ": ";
    }

    private record Walk(TreeNode node, int consumed, String ambiguous, List<String> candidates)
    {
    }

    private Walk walk(final List<String> words)
    {
        TreeNode node = root;
        int i = 0;
        while (i < words.size())
        {
            final String w = words.get(i);
            TreeNode next = node.children.get(w);
            if (next == null)
            {
                final List<String> matches = new ArrayList<>();
                for (final String child : node.children.keySet())
                {
                    if (child.startsWith(w))
                    {
                        matches.add(child);
                    }
                }
                if (matches.size() > 1 && node.command == null)
                {
                    return new Walk(node, i, w, matches);
                }
                if (matches.size() != 1)
                {
                    break;
                }
                next = node.children.get(matches.get(0));
            }
            node = next;
            i++;
        }
        return new Walk(node, i, null, List.of());
    }

    /**
     * Candidates for the last word of {@code partial} (the text typed so far, the last word possibly
     * incomplete or empty when the line ends in white space): the matching command words at that point.
     */
    public List<String> complete(final String partial)
    {
        final boolean newWord = partial.isEmpty() || Character.isWhitespace(partial.charAt(partial.length() - 1));
        final List<String> words = CliInput.tokenize(partial);
        final String last = newWord || words.isEmpty() ? "" : words.remove(words.size() - 1);
        final Walk walk = walk(words);
        final List<String> out = new ArrayList<>();
        if (walk.consumed != words.size())
        {
            return out;
        }
        for (final String child : walk.node.children.keySet())
        {
            if (child.startsWith(last))
            {
                out.add(child);
            }
        }
        return out;
    }

    /** What {@code ?} prints after {@code partial}: the commands that can follow, with their help. */
    public String help(final String partial)
    {
        final boolean newWord = partial.isEmpty() || Character.isWhitespace(partial.charAt(partial.length() - 1));
        final List<String> words = CliInput.tokenize(partial);
        final String last = newWord || words.isEmpty() ? "" : words.remove(words.size() - 1);
        final Walk walk = walk(words);
        final CliOutput out = new CliOutput();
        if (walk.consumed != words.size())
        {
            if (walk.node.command != null)
            {
                out.printf("  %-40s %s%n", walk.node.command.usage(), walk.node.command.shortHelp());
            }
            return out.toString();
        }
        if (walk.node.command != null && last.isEmpty())
        {
            out.printf("  %-40s %s%n", walk.node.command.usage(), walk.node.command.shortHelp());
        }
        for (final TreeNode child : walk.node.children.values())
        {
            if (child.word.startsWith(last))
            {
                listCommands(child, out);
            }
        }
        if (out.buffer().length() == 0 && walk.node.command != null)
        {
            out.printf("  %-40s %s%n", walk.node.command.usage(), walk.node.command.shortHelp());
        }
        return out.toString();
    }

    private static void listCommands(final TreeNode node, final CliOutput out)
    {
        if (node.command != null)
        {
            out.printf("  %-40s %s%n", node.command.path(), node.command.shortHelp());
        }
        for (final TreeNode child : node.children.values())
        {
            listCommands(child, out);
        }
    }

    /** Every registered command, in path order. */
    public List<CliCommand> commands()
    {
        final List<CliCommand> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(final TreeNode node, final List<CliCommand> out)
    {
        if (node.command != null)
        {
            out.add(node.command);
        }
        for (final TreeNode child : node.children.values())
        {
            collect(child, out);
        }
    }
}
