package jvpp.core.config;

import java.util.List;

/**
 * One word of a startup.conf and, when a {@code { }} block follows it, the items inside: {@code unix {
 * nodaemon }} is the item {@code unix} whose block holds the item {@code nodaemon}. The conf module's parser
 * builds the tree; the module that owns a section reads its block with a {@link ConfigCursor}.
 *
 * <p>Thread: any (immutable).
 *
 * @param word  the word
 * @param line  the line it is on, from 1
 * @param block the items of the block that follows it, or null when none does
 */
public record ConfigItem(String word, int line, List<ConfigItem> block)
{
    public boolean hasBlock()
    {
        return block != null;
    }
}
