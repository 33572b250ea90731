package jvpp.conf.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliCommand;
import jvpp.core.cli.CliReference;
import jvpp.core.testing.TestJvpp;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/cli-reference.md} is what the command registry of a daemon with every module produces. The build
 * renders the page into {@code conf/target/cli-reference.md}; this test fails when the committed page differs, so
 * the reference cannot drift. {@code -Djvpp.docs.update=true} writes the page instead (see the hint in the page).
 */
class CliReferenceTest
{
    static final String REGENERATE = "regenerate with `mvn -B -pl conf -am verify -Dtest=CliReferenceTest "
        + "-Dsurefire.failIfNoSpecifiedTests=false -Djvpp.docs.update=true`.";

    @Test
    void shouldMatchTheCommittedReferenceWhenRenderedFromTheRegistry() throws IOException
    {
        final String rendered;
        try (Jvpp vpp = TestJvpp.create(1024))
        {
            rendered = CliReference.markdown(vpp.cli(), REGENERATE);
            for (final CliCommand c : vpp.cli().commands())
            {
                assertTrue(rendered.contains("\n### " + c.path() + "\n"), c.path());
                assertTrue(rendered.contains("    " + c.usage() + "\n"), c.usage());
            }
        }
        final Path built = Path.of(System.getProperty("basedir", ".")).resolve("target/cli-reference.md");
        Files.createDirectories(built.getParent());
        Files.writeString(built, rendered, StandardCharsets.UTF_8);
        final Path committed = RepositoryFiles.root().resolve("docs/cli-reference.md");
        if (Boolean.getBoolean("jvpp.docs.update"))
        {
            Files.writeString(committed, rendered, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(committed), "docs/cli-reference.md is missing: " + REGENERATE);
        assertEquals(Files.readString(committed, StandardCharsets.UTF_8), rendered,
            "docs/cli-reference.md differs from what the registry produces (" + built + "): " + REGENERATE);
    }
}
