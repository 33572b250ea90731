package jvpp.conf;

/**
 * A startup.conf that cannot be read or is not valid. The message is what the user sees, and names the file
 * and line: {@code /etc/jvpp/startup.conf:3: unknown input `nodaemn'}.
 *
 * <p>Thread: any.
 */
public final class StartupConfigException extends Exception
{
    private static final long serialVersionUID = 1L;

    public StartupConfigException(final String message)
    {
        super(message);
    }

    static StartupConfigException at(final String file, final int line, final String message)
    {
        return new StartupConfigException(file + ":" + line + ": " + message);
    }
}
