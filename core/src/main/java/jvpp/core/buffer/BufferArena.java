package jvpp.core.buffer;

import com.sun.jna.LastErrorException;
import jvpp.core.sys.LibC;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One contiguous native region cut into fixed-size buffer slots, allocated once at boot.
 *
 * <p>A buffer is an {@code int} index; its bytes are at {@code index * stride} in {@link #memory()}.
 * Each slot is laid out as
 * <pre>
 *   [ PRE_DATA_SIZE reserved ][ HEADROOM ][ data (dataSize) ]
 * </pre>
 * The reserved bytes hold what a driver needs in front of the packet (the DPDK bridge places the
 * mempool object header and the rte_mbuf there, which is what makes receive zero-copy); the headroom
 * lets nodes prepend headers (VLAN tags, encapsulations) without copying.
 *
 * <p>Memory comes from 2 MB hugepages (mmap MAP_HUGETLB) when the kernel has enough free, otherwise from
 * ordinary anonymous memory. Thread: created on main; the bytes are read and written by whichever
 * thread owns a buffer at the time.
 */
public final class BufferArena implements AutoCloseable
{
    /** Bytes reserved in front of the headroom of every slot. */
    public static final int PRE_DATA_SIZE = 192;
    /** Bytes of headroom before a freshly allocated buffer's data; DPDK's RTE_PKTMBUF_HEADROOM. */
    public static final int HEADROOM = 128;
    public static final int CACHE_LINE = 64;
    public static final long HUGEPAGE_SIZE = 2L * 1024 * 1024;

    private final int count;
    private final int dataSize;
    private final int stride;
    private final long address;
    private final long mappedLength;
    private final boolean hugepages;
    private final UnsafeBuffer memory;

    private BufferArena(final int count, final int dataSize, final int stride, final long address,
        final long mappedLength, final boolean hugepages)
    {
        this.count = count;
        this.dataSize = dataSize;
        this.stride = stride;
        this.address = address;
        this.mappedLength = mappedLength;
        this.hugepages = hugepages;
        this.memory = new UnsafeBuffer(address, (int)(mappedLength > Integer.MAX_VALUE ? Integer.MAX_VALUE : mappedLength));
    }

    /** The slot size for a given data size: reserved + headroom + data, rounded up to a cache line. */
    public static int strideFor(final int dataSize)
    {
        final int raw = PRE_DATA_SIZE + HEADROOM + dataSize;
        return (raw + CACHE_LINE - 1) & -CACHE_LINE;
    }

    /**
     * Map an arena of {@code count} buffers of {@code dataSize} data bytes each.
     *
     * @param tryHugepages try MAP_HUGETLB first (falls back to ordinary pages when it fails)
     */
    public static BufferArena allocate(final int count, final int dataSize, final boolean tryHugepages)
    {
        if (count <= 0)
        {
            throw new IllegalArgumentException("buffer count must be positive: " + count);
        }
        if (dataSize < 256 || dataSize > 65536)
        {
            throw new IllegalArgumentException("data-size must be between 256 and 65536: " + dataSize);
        }
        final int stride = strideFor(dataSize);
        final long bytes = (long)count * stride;
        if (bytes > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(
                "buffer arena of " + count + " x " + stride + " bytes exceeds 2 GiB; lower buffers-per-numa");
        }
        final long length = (bytes + HUGEPAGE_SIZE - 1) & -HUGEPAGE_SIZE;
        final int prot = LibC.PROT_READ | LibC.PROT_WRITE;
        final int flags = LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_POPULATE;
        if (tryHugepages)
        {
            try
            {
                final long addr = LibC.mmap(0, length, prot, flags | LibC.MAP_HUGETLB, -1, 0);
                if (addr != LibC.MAP_FAILED)
                {
                    return new BufferArena(count, dataSize, stride, addr, length, true);
                }
            }
            catch (final LastErrorException ignore)
            {
                // no free hugepages: fall back to ordinary memory below
            }
        }
        final long addr;
        try
        {
            addr = LibC.mmap(0, length, prot, flags, -1, 0);
        }
        catch (final LastErrorException ex)
        {
            throw new IllegalStateException("cannot map " + length + " bytes for buffers: errno " + ex.getErrorCode(), ex);
        }
        try
        {
            LibC.madvise(addr, length, LibC.MADV_HUGEPAGE);
        }
        catch (final LastErrorException ignore)
        {
            // transparent hugepages disabled: ordinary pages are fine
        }
        return new BufferArena(count, dataSize, stride, addr, length, false);
    }

    public int count()
    {
        return count;
    }

    public int dataSize()
    {
        return dataSize;
    }

    public int stride()
    {
        return stride;
    }

    public long address()
    {
        return address;
    }

    public long mappedLength()
    {
        return mappedLength;
    }

    public boolean hugepages()
    {
        return hugepages;
    }

    /** The whole arena; offsets into it are {@code int}. */
    public UnsafeBuffer memory()
    {
        return memory;
    }

    /** Arena offset of the first byte of the slot of buffer {@code bi}. */
    public int slotOffset(final int bi)
    {
        return bi * stride;
    }

    /** Arena offset where a fresh buffer's data starts (after reserve and headroom). */
    public int dataOffset(final int bi)
    {
        return bi * stride + PRE_DATA_SIZE + HEADROOM;
    }

    /** The buffer index owning arena offset {@code offset}. */
    public int indexOf(final int offset)
    {
        return offset / stride;
    }

    @Override
    public void close()
    {
        LibC.munmap(address, mappedLength);
    }
}
