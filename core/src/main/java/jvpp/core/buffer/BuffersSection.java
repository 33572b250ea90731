package jvpp.core.buffer;

import jvpp.core.Configuration;
import jvpp.core.Jvpp;
import jvpp.core.config.ConfigCursor;
import jvpp.core.config.ConfigException;
import jvpp.core.config.ConfigItem;
import jvpp.core.config.ConfigSection;

/**
 * startup.conf's {@code buffers { }}, as VPP's: {@code buffers-per-numa <n>}, {@code default data-size <n>},
 * {@code page-size 4k|2m|default|default-hugepage}. Sets {@link Jvpp.Context#buffers},
 * {@link Jvpp.Context#dataSize} and {@link Jvpp.Context#hugepages}.
 *
 * <p>Thread: the one reading the file.
 */
public final class BuffersSection implements ConfigSection
{
    @Override
    public String name()
    {
        return "buffers";
    }

    @Override
    public void read(final ConfigCursor in, final Jvpp.Context context) throws ConfigException
    {
        for (ConfigItem key = in.nextKey(); key != null; key = in.nextKey())
        {
            switch (key.word())
            {
                case "buffers-per-numa":
                    context.buffers(in.number(key, Configuration.BUFFERS_MIN, Configuration.BUFFERS_MAX));
                    break;
                case "default":
                {
                    final ConfigItem what = in.nextKey();
                    if (what == null)
                    {
                        throw in.error(key, "default: expected `data-size'");
                    }
                    if (!what.word().equals("data-size"))
                    {
                        throw in.unknown(what);
                    }
                    context.dataSize(in.number(what, Configuration.DATA_SIZE_MIN, Configuration.DATA_SIZE_MAX));
                    break;
                }
                case "page-size":
                    context.hugepages(hugepages(in, key, in.value(key, "a page size")));
                    break;
                default:
                    throw in.unknown(key);
            }
        }
    }

    private static boolean hugepages(final ConfigCursor in, final ConfigItem key, final String value)
        throws ConfigException
    {
        switch (value.toLowerCase())
        {
            case "4k":
            case "default":
                return false;
            case "2m":
            case "default-hugepage":
                return true;
            default:
                throw in.error(key, "page-size: expected 4k, 2m, default or default-hugepage, got `" + value + "'");
        }
    }
}
