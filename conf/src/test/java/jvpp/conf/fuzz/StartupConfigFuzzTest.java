package jvpp.conf.fuzz;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;
import jvpp.conf.StartupConfigParser;
import jvpp.core.config.ConfigException;

/**
 * Arbitrary text as a startup.conf: the parser returns a configuration or throws
 * {@link ConfigException} (a message with file and line); anything else escaping it is a finding.
 *
 * <p>{@code mvn test} runs the regression corpus in
 * {@code src/test/resources/jvpp/conf/fuzz/StartupConfigFuzzTestInputs}; {@code bin/jvpp-fuzz startup-conf}
 * fuzzes (RELIABILITY.md).
 */
class StartupConfigFuzzTest
{
    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "60m")
    void startupConf(final byte[] data)
    {
        try
        {
            StartupConfigParser.parse(new String(data, StandardCharsets.UTF_8), "fuzz.conf", Path.of("/nonexistent"));
        }
        catch (final ConfigException expected)
        {
            // a clear error: what a broken config gets
        }
    }
}
