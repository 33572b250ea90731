package jvpp.pmd.doctor;

/**
 * One result of {@link Doctor#check}: what was found, and the command that fixes it ({@code null} when
 * there is nothing to fix). Printed as one line: {@code ERROR <what> — fix: <fix>}.
 *
 * <p>Thread: any (immutable).
 *
 * @param severity how much it matters.
 * @param what     what was found, naming the device, interface or file it is about.
 * @param fix      the exact command that fixes it, or null.
 */
public record Finding(Severity severity, String what, String fix)
{
    public static Finding ok(final String what)
    {
        return new Finding(Severity.OK, what, null);
    }

    public static Finding warn(final String what, final String fix)
    {
        return new Finding(Severity.WARN, what, fix);
    }

    public static Finding error(final String what, final String fix)
    {
        return new Finding(Severity.ERROR, what, fix);
    }

    /** The one line the doctor prints. */
    public String line()
    {
        return fix == null ? severity + " " + what : severity + " " + what + " — fix: " + fix;
    }

    @Override
    public String toString()
    {
        return line();
    }
}
