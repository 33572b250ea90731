package jvpp.pmd.doctor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The fixture trees under {@code src/test/resources/doctor}, and copies of them to change. */
final class Fixtures
{
    private Fixtures()
    {
    }

    static Path tree(final String name)
    {
        try
        {
            return Path.of(Fixtures.class.getResource("/doctor/" + name).toURI());
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static HostView host(final String name)
    {
        return new HostView(tree(name).toString());
    }

    /** A copy of fixture {@code name} under {@code dir}, to change in a test. */
    static Path copy(final String name, final Path dir)
    {
        final Path from = tree(name);
        final Path to = dir.resolve(name);
        try (Stream<Path> s = Files.walk(from))
        {
            for (final Path p : s.toList())
            {
                final Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p))
                {
                    Files.createDirectories(q);
                }
                else
                {
                    Files.copy(p, q);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return to;
    }

    static void write(final Path root, final String file, final String content)
    {
        try
        {
            final Path p = root.resolve(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content + "\n");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static void delete(final Path root, final String file)
    {
        try (Stream<Path> s = Files.walk(root.resolve(file)))
        {
            for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static List<String> lines(final List<Finding> findings)
    {
        return findings.stream().map(Finding::line).toList();
    }
}
