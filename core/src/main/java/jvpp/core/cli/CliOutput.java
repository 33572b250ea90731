package jvpp.core.cli;

/** What a command prints. Thread: the thread running the command (main). */
public final class CliOutput
{
    private final StringBuilder sb = new StringBuilder();
    private boolean quit;

    public CliOutput print(final CharSequence s)
    {
        sb.append(s);
        return this;
    }

    public CliOutput println(final CharSequence s)
    {
        sb.append(s).append('\n');
        return this;
    }

    public CliOutput println()
    {
        sb.append('\n');
        return this;
    }

    public CliOutput printf(final String format, final Object... args)
    {
        sb.append(String.format(format, args));
        return this;
    }

    public StringBuilder buffer()
    {
        return sb;
    }

    /** Ask the session that ran this command to end ({@code quit}). */
    public void requestQuit()
    {
        quit = true;
    }

    public boolean quitRequested()
    {
        return quit;
    }

    @Override
    public String toString()
    {
        return sb.toString();
    }
}
