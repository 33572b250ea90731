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

    /**
     * {@code s} with half the room of a {@code width}-wide field before it, for a {@code %-<width>s} column: how
     * jvpp's {@code show runtime} and {@code show interface} centre a state or an MTU.
     */
    public static String centre(final String s, final int width)
    {
        final int pad = Math.max(0, (width - s.length()) / 2);
        return " ".repeat(pad) + s;
    }

    /**
     * {@code s} centred in exactly {@code width} columns as vppinfra's {@code %=<width>s} does: cut to the width
     * when longer, else padded both sides, the odd space on the left.
     */
    public static String centreIn(final String s, final int width)
    {
        if (s.length() >= width)
        {
            return s.substring(0, width);
        }
        final int n = width - s.length();
        return " ".repeat(n - n / 2) + s + " ".repeat(n / 2);
    }

    @Override
    public String toString()
    {
        return sb.toString();
    }
}
