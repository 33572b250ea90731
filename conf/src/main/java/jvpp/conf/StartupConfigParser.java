package jvpp.conf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jvpp.core.Jvpp;
import jvpp.core.Plugin;
import jvpp.core.config.ConfigCursor;
import jvpp.core.config.ConfigException;
import jvpp.core.config.ConfigItem;
import jvpp.core.config.ConfigSection;

/**
 * Reads a startup.conf into a checked {@link StartupConfig}, before anything boots: the text becomes a tree
 * ({@link ConfigTreeParser}), and each top-level {@code <name> { ... }} goes to the {@link ConfigSection} of
 * that name, which the module owning it registers through its {@link Plugin#configSections()} (VPP's
 * {@code VLIB_CONFIG_FUNCTION}): {@code unix} is conf's ({@link UnixSection}), {@code cpu} and {@code buffers}
 * core's, {@code dpdk} pmd-bridge's. The sections fill one {@link Jvpp.Context}, which is then concluded.
 *
 * <p>Every error names the file and the line: {@code <file>:<line>: unknown input `<word>'} for a section,
 * key or word nobody knows, {@code <file>:<line>: <key>: <what is wrong>} for a bad value, and
 * {@code missing `}'} / {@code unexpected `}'} for unbalanced braces.
 *
 * <p>Thread: any (stateless).
 */
public final class StartupConfigParser
{
    private StartupConfigParser()
    {
    }

    /** Read and check {@code file}; relative paths inside resolve against its directory. */
    public static StartupConfig parse(final Path file) throws ConfigException
    {
        final String text;
        try
        {
            text = Files.readString(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigException(file + ": no such file");
        }
        catch (final IOException ex)
        {
            throw new ConfigException(file + ": cannot read: " + ex.getMessage());
        }
        return parse(text, file.toString(), file.getParent());
    }

    /**
     * Check startup.conf {@code text}.
     *
     * @param fileName what error messages call it
     * @param baseDir  what a relative {@code startup-config} resolves against (null: the working directory)
     */
    public static StartupConfig parse(final String text, final String fileName, final Path baseDir)
        throws ConfigException
    {
        final Jvpp.Context context = new Jvpp.Context();
        final Map<String, ConfigSection> sections = Sections.BY_NAME;
        for (final ConfigItem section : ConfigTreeParser.parse(text, fileName))
        {
            final ConfigSection reader = sections.get(section.word());
            if (reader == null)
            {
                throw ConfigException.at(fileName, section.line(), "unknown input `" + section.word() + "'");
            }
            if (!section.hasBlock())
            {
                throw ConfigException.at(fileName, section.line(), section.word() + ": expected `{'");
            }
            reader.read(new ConfigCursor(fileName, baseDir, section), context);
        }
        try
        {
            context.conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            // The sections check each value at its line; what is left is how they go together.
            throw new ConfigException(fileName + ": " + ex.getMessage());
        }
        return new StartupConfig(fileName, context);
    }

    /** Every section by name: conf's own and those of the plugins on the class path, found once. */
    private static final class Sections
    {
        static final Map<String, ConfigSection> BY_NAME = load();

        private static Map<String, ConfigSection> load()
        {
            final List<ConfigSection> all = new ArrayList<>();
            all.add(new UnixSection());
            for (final Plugin p : Plugin.loadAll())
            {
                all.addAll(p.configSections());
            }
            final Map<String, ConfigSection> byName = new TreeMap<>();
            for (final ConfigSection s : all)
            {
                if (byName.putIfAbsent(s.name(), s) != null)
                {
                    throw new IllegalStateException("two modules own the startup.conf section `" + s.name() + "'");
                }
            }
            return byName;
        }
    }
}
