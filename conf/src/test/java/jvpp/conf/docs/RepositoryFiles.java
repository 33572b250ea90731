package jvpp.conf.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The repository's own files, as the documentation checks see them: its root, and its files outside build output. */
final class RepositoryFiles
{
    private RepositoryFiles()
    {
    }

    /** The repository's root: the conf module's parent (surefire runs in the module's directory). */
    static Path root()
    {
        final Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        return module.getParent();
    }

    /** Every file under the root whose name matches, skipping .git, build output and test scratch. */
    static List<Path> files(final Predicate<Path> name)
    {
        final Path root = root();
        try (Stream<Path> walk = Files.walk(root))
        {
            return walk.filter(Files::isRegularFile)
                .filter(p -> !skipped(root.relativize(p)))
                .filter(p -> name.test(p.getFileName()))
                .sorted()
                .collect(Collectors.toList());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static boolean skipped(final Path relative)
    {
        for (final Path part : relative)
        {
            final String s = part.toString();
            if (s.equals(".git") || s.equals("target") || s.equals("bench-out") || s.equals("node_modules"))
            {
                return true;
            }
        }
        return false;
    }
}
