package jvpp.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The items of one block read in order as keys and their values, with errors that name the file and line
 * ({@code startup.conf:3: num-rx-desc: must be between 64 and 65536, got 1}): what a {@link ConfigSection}
 * reads its section with.
 *
 * <pre>
 * for (ConfigItem key = in.nextKey(); key != null; key = in.nextKey())
 * {
 *     switch (key.word())
 *     {
 *         case "main-core": mainCore = in.number(key, 0, 4095); break;
 *         default: throw in.unknown(key);
 *     }
 * }
 * </pre>
 *
 * <p>Thread: the one reading the file.
 */
public final class ConfigCursor
{
    private final String file;
    private final Path baseDir;
    private final ConfigItem owner;
    private final List<ConfigItem> items;
    private int pos;

    /**
     * @param file    what error messages call the file ({@code <command line>} for arguments)
     * @param baseDir what relative paths in the file resolve against, or null for the working directory
     * @param owner   the item whose block this reads (one that has a block: {@code dpdk} of {@code dpdk { }})
     */
    public ConfigCursor(final String file, final Path baseDir, final ConfigItem owner)
    {
        this.file = file;
        this.baseDir = baseDir;
        this.owner = owner;
        this.items = owner.block();
    }

    /** A cursor over the block of {@code item} (an item that has one), in the same file. */
    public ConfigCursor block(final ConfigItem item)
    {
        return new ConfigCursor(file, baseDir, item);
    }

    /** The item whose block this reads: for errors about the block as a whole. */
    public ConfigItem owner()
    {
        return owner;
    }

    /** {@code path} as the file means it: a relative one against the file's directory. */
    public Path resolve(final Path path)
    {
        return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path);
    }

    /** The next key, or null at the end of the block; a key must not open a block of its own. */
    public ConfigItem nextKey() throws ConfigException
    {
        if (pos == items.size())
        {
            return null;
        }
        final ConfigItem key = items.get(pos++);
        if (key.hasBlock())
        {
            throw error(key, key.word() + ": unexpected `{'");
        }
        return key;
    }

    /** The next item as a value that may open a block of its own ({@code dev 0000:02:00.1 { ... }}). */
    public ConfigItem valueItem(final ConfigItem key, final String what) throws ConfigException
    {
        if (pos == items.size())
        {
            throw error(key, key.word() + ": expected " + what);
        }
        return items.get(pos++);
    }

    /** The word after {@code key}; {@code what} says what it should be when there is none. */
    public String value(final ConfigItem key, final String what) throws ConfigException
    {
        final ConfigItem v = valueItem(key, what);
        if (v.hasBlock())
        {
            throw error(v, key.word() + ": unexpected `{'");
        }
        return v.word();
    }

    /** The number after {@code key} (decimal, or hex with {@code 0x}), between {@code min} and {@code max}. */
    public int number(final ConfigItem key, final int min, final int max) throws ConfigException
    {
        final String w = value(key, "a number");
        final ConfigItem at = items.get(pos - 1);
        final long v;
        try
        {
            v = w.startsWith("0x") ? Long.parseLong(w.substring(2), 16) : Long.parseLong(w);
        }
        catch (final NumberFormatException ex)
        {
            throw error(at, key.word() + ": expected a number, got `" + w + "'");
        }
        if (v < min || v > max)
        {
            throw error(at, key.word() + ": must be between " + min + " and " + max + ", got " + v);
        }
        return (int)v;
    }

    /** {@code unknown input `<word>'} at the item's line: a key or word the section does not know. */
    public ConfigException unknown(final ConfigItem item)
    {
        return error(item, "unknown input `" + item.word() + "'");
    }

    /** {@code <file>:<line of item>: <message>}. */
    public ConfigException error(final ConfigItem item, final String message)
    {
        return ConfigException.at(file, item.line(), message);
    }
}
