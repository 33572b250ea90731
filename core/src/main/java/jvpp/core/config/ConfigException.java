package jvpp.core.config;

/**
 * A startup.conf that cannot be read or is not valid. The message is what the user sees, and names the file
 * and line: {@code /etc/jvpp/startup.conf:3: unknown input `nodaemn'}.
 *
 * <p>Thread: any.
 */
public final class ConfigException extends Exception
{
    private static final long serialVersionUID = 1L;

    public ConfigException(final String message)
    {
        super(message);
    }

    /** {@code <file>:<line>: <message>}. */
    public static ConfigException at(final String file, final int line, final String message)
    {
        return new ConfigException(file + ":" + line + ": " + message);
    }
}
