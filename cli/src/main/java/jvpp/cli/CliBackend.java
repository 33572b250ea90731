package jvpp.cli;

import java.io.IOException;
import java.util.List;

/**
 * What a command line editor talks to: a daemon over its socket ({@link CliClient}) or the instance in this
 * process ({@link Console}).
 *
 * <p>Thread: the editor's thread.
 */
interface CliBackend
{
    CliReply execute(String line) throws IOException;

    List<String> complete(String partial) throws IOException;

    String help(String partial) throws IOException;
}
