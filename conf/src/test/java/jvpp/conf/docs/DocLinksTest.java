package jvpp.conf.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every relative link in every README and docs page resolves inside the repository (a file or folder that exists,
 * and a heading that exists when the link names one), and no file of the repository reaches outside it: a fresh
 * clone with nothing beside it must read, build, test and benchmark.
 */
class DocLinksTest
{
    private static final Pattern INLINE = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern DEFINITION = Pattern.compile("(?m)^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+.*)?$");
    private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```.*?^\\s*```[^\\n]*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`\\n]*`");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private final Map<Path, Set<String>> anchors = new HashMap<>();

    @Test
    void shouldResolveEveryRelativeLinkInsideTheRepositoryWhenReadmesAndDocsLinkToEachOther() throws IOException
    {
        final Path root = RepositoryFiles.root();
        final List<Path> pages = RepositoryFiles.files(p -> p.toString().endsWith(".md"));
        assertTrue(pages.size() >= 10, "found only " + pages);
        assertTrue(pages.contains(root.resolve("docs/architecture.md")), "docs/architecture.md is missing");
        final List<String> broken = new ArrayList<>();
        int checked = 0;
        for (final Path page : pages)
        {
            for (final String link : links(Files.readString(page, StandardCharsets.UTF_8)))
            {
                if (SCHEME.matcher(link).find())
                {
                    continue;
                }
                checked++;
                final String problem = problem(root, page, link);
                if (problem != null)
                {
                    broken.add(root.relativize(page) + ": (" + link + ") " + problem);
                }
            }
        }
        assertTrue(checked >= 20, "only " + checked + " relative links found: is the link pattern right?");
        assertEquals(List.of(), broken, "broken links");
    }

    @Test
    void shouldNotReachOutsideTheRepositoryWhenAnyFileNamesAPath() throws IOException
    {
        final String outside = ".." + "/shared";
        final List<String> offenders = new ArrayList<>();
        for (final Path file : RepositoryFiles.files(p -> true))
        {
            final String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            if (text.contains(outside))
            {
                offenders.add(RepositoryFiles.root().relativize(file).toString());
            }
        }
        assertEquals(List.of(), offenders, "files that name " + outside);
    }

    @Test
    void shouldFindLinksAndHeadingsTheWayGitHubRendersThem()
    {
        assertEquals(List.of("a.md", "b/#x", "c.md"),
            links("see [a](a.md), ![b](b/#x \"t\") `[no](code.md)`\n```\n[no](fenced.md)\n```\n[c]: c.md\n"));
        assertEquals(Set.of("the-two-commands", "dpdk-and-the-doctor", "x", "x-1", "setbridge-domain"),
            headings("# The two commands\n## DPDK and the doctor\n## x\n## x\n### `set`bridge-domain\n"));
    }

    private String problem(final Path root, final Path page, final String link) throws IOException
    {
        final int hash = link.indexOf('#');
        final String pathPart = hash < 0 ? link : link.substring(0, hash);
        final String anchor = hash < 0 ? null : link.substring(hash + 1);
        final Path target = pathPart.isEmpty() ? page : page.getParent().resolve(pathPart).normalize();
        if (!target.startsWith(root))
        {
            return "leaves the repository";
        }
        if (!Files.exists(target))
        {
            return "does not exist";
        }
        if (anchor != null && !anchor.isEmpty() && target.toString().endsWith(".md")
            && !anchors(target).contains(anchor))
        {
            return "no heading #" + anchor + " in " + root.relativize(target);
        }
        return null;
    }

    private Set<String> anchors(final Path page) throws IOException
    {
        Set<String> found = anchors.get(page);
        if (found == null)
        {
            found = headings(Files.readString(page, StandardCharsets.UTF_8));
            anchors.put(page, found);
        }
        return found;
    }

    static List<String> links(final String markdown)
    {
        final String text = CODE_SPAN.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
        final List<String> out = new ArrayList<>();
        final Matcher inline = INLINE.matcher(text);
        while (inline.find())
        {
            out.add(inline.group(1));
        }
        final Matcher definition = DEFINITION.matcher(text);
        while (definition.find())
        {
            out.add(definition.group(1));
        }
        return out;
    }

    /** GitHub's heading anchors: lower case, punctuation but '-' and '_' removed, spaces to '-', repeats numbered. */
    static Set<String> headings(final String markdown)
    {
        final Set<String> out = new HashSet<>();
        final Matcher m = HEADING.matcher(FENCE.matcher(markdown).replaceAll(""));
        while (m.find())
        {
            final String slug = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            String unique = slug;
            for (int n = 1; out.contains(unique); n++)
            {
                unique = slug + "-" + n;
            }
            out.add(unique);
        }
        return out;
    }
}
