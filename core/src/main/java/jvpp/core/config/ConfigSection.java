package jvpp.core.config;

import jvpp.core.Jvpp;

/**
 * A startup.conf section a module owns, VPP's {@code VLIB_CONFIG_FUNCTION}: a {@link jvpp.core.Plugin} returns
 * its sections from {@link jvpp.core.Plugin#configSections()}, and the conf module's parser gives each
 * {@code <name> { ... }} of the file to the section of that name. Every section of the file is read, and every
 * error reported with its file and line, before any instance is created: a bad file never half-boots.
 *
 * <p>A section checks each value where it reads it (a {@link ConfigException} naming the line) and sets it on
 * the {@link Jvpp.Context}: core's own settings through its setters, a module's through
 * {@link Jvpp.Context#settings(Class, Object)}, where the module's {@link jvpp.core.Plugin#start} finds them.
 * The section object itself keeps no state: the same one reads every file.
 *
 * <p>Thread: any (one parse at a time per context).
 */
public interface ConfigSection
{
    /** The section's word in startup.conf ({@code dpdk}). */
    String name();

    /**
     * Read one occurrence of the section. A section may appear more than once; later keys override earlier
     * ones, so read into what {@code context} holds already.
     *
     * @param in      the items of the section's block
     * @param context what the file sets
     */
    void read(ConfigCursor in, Jvpp.Context context) throws ConfigException;
}
