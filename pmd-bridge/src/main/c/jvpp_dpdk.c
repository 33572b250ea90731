/*
 * jvpp's DPDK shim: plain exported functions over DPDK's static inline fast path
 * (rte_eth_rx_burst / rte_eth_tx_burst / mbuf handling), called from Java through JNA direct mapping.
 *
 * Buffers cross the boundary as jvpp buffer indices in native arrays the Java side preallocated; one
 * call per burst, never per packet.
 *
 * Two modes, chosen once by jvpp_pool_create:
 *   zero-copy: the mempool is populated over jvpp's buffer arena so that every arena slot is an mbuf:
 *              [mempool objhdr (64 B)][struct rte_mbuf (128 B)][headroom 128 B][data ...]
 *              = jvpp's [PRE_DATA_SIZE 192][HEADROOM 128][data]. Received mbufs are handed to jvpp as
 *              buffer indices and replaced in the mempool by jvpp buffers (the rx stash); transmitted
 *              buffers become mbufs in place and as many mbufs are taken back out of the mempool.
 *   copy:      an ordinary pktmbuf pool; rx copies into the stash's jvpp buffers, tx copies into mbufs.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#define JVPP_PRE_DATA 192u
#define JVPP_HEADROOM 128u

static struct rte_mempool *g_mp;
static uint8_t *g_base;     /* arena base address */
static uint64_t g_len;      /* arena bytes (count * stride) */
static uint32_t g_stride;
static uint32_t g_count;
static uint32_t g_data_size;
static int g_zero_copy;
static uint64_t g_rx_multiseg_drops;
static char g_last_error[256];

static inline struct rte_mbuf *mbuf_of(uint32_t bi)
{
    return (struct rte_mbuf *)(g_base + (uint64_t)bi * g_stride + (JVPP_PRE_DATA - sizeof(struct rte_mbuf)));
}

static inline uint32_t index_of(const struct rte_mbuf *m)
{
    return (uint32_t)(((const uint8_t *)m - g_base) / g_stride);
}

static inline int in_arena(const struct rte_mbuf *m)
{
    const uint8_t *p = (const uint8_t *)m;
    return p >= g_base && p < g_base + g_len;
}

const char *jvpp_last_error(void)
{
    return g_last_error;
}

const char *jvpp_strerror(int err)
{
    return rte_strerror(err < 0 ? -err : err);
}

int jvpp_eal_init(int argc, char **argv)
{
    int ret = rte_eal_init(argc, argv);
    if (ret < 0)
    {
        snprintf(g_last_error, sizeof g_last_error, "rte_eal_init failed: %s", rte_strerror(rte_errno));
        return -rte_errno;
    }
    return ret;
}

int jvpp_iova_va(void)
{
    return rte_eal_iova_mode() == RTE_IOVA_VA;
}

/* What the layout needs, for Java's messages: objhdr size, mbuf size, total object size for elt. */
int jvpp_layout(uint32_t stride, uint32_t *out)
{
    struct rte_mempool_objsz sz;
    uint32_t elt = stride - JVPP_PRE_DATA + (uint32_t)sizeof(struct rte_mbuf);
    uint32_t total = rte_mempool_calc_obj_size(elt, RTE_MEMPOOL_F_NO_IOVA_CONTIG, &sz);
    out[0] = sz.header_size;
    out[1] = (uint32_t)sizeof(struct rte_mbuf);
    out[2] = total;
    out[3] = sz.trailer_size;
    return 0;
}

static int pool_create_zero_copy(const char *name, uint32_t priv_room)
{
    struct rte_pktmbuf_pool_private priv;
    struct rte_mempool_objsz sz;
    uint32_t elt = g_stride - JVPP_PRE_DATA + (uint32_t)sizeof(struct rte_mbuf);
    uint32_t room = g_stride - JVPP_PRE_DATA;
    uint32_t total = rte_mempool_calc_obj_size(elt, RTE_MEMPOOL_F_NO_IOVA_CONTIG, &sz);
    (void)priv_room;
    if (sz.header_size + sizeof(struct rte_mbuf) != JVPP_PRE_DATA || total != g_stride || sz.trailer_size != 0)
    {
        snprintf(g_last_error, sizeof g_last_error,
            "mempool layout does not match jvpp's slot: objhdr %u + rte_mbuf %zu must be %u, object %u must be the "
            "stride %u (trailer %u)", sz.header_size, sizeof(struct rte_mbuf), JVPP_PRE_DATA, total, g_stride,
            sz.trailer_size);
        return -EINVAL;
    }
    if (room > UINT16_MAX)
    {
        snprintf(g_last_error, sizeof g_last_error, "mbuf data room %u exceeds 65535 (lower the buffer data-size)", room);
        return -EINVAL;
    }
    struct rte_mempool *mp = rte_mempool_create_empty(name, g_count, elt, 0,
        sizeof(struct rte_pktmbuf_pool_private), SOCKET_ID_ANY, RTE_MEMPOOL_F_NO_IOVA_CONTIG);
    if (mp == NULL)
    {
        snprintf(g_last_error, sizeof g_last_error, "rte_mempool_create_empty: %s", rte_strerror(rte_errno));
        return -rte_errno;
    }
    int ret = rte_mempool_set_ops_byname(mp, "ring_mp_mc", NULL);
    if (ret != 0)
    {
        snprintf(g_last_error, sizeof g_last_error, "mempool ops ring_mp_mc: %s (is librte_mempool_ring loaded?)",
            rte_strerror(-ret));
        rte_mempool_free(mp);
        return ret;
    }
    memset(&priv, 0, sizeof priv);
    priv.mbuf_data_room_size = (uint16_t)room;
    priv.mbuf_priv_size = 0;
    rte_pktmbuf_pool_init(mp, &priv);
    rte_iova_t iova = rte_eal_iova_mode() == RTE_IOVA_VA ? (rte_iova_t)(uintptr_t)g_base : RTE_BAD_IOVA;
    ret = rte_mempool_populate_iova(mp, (char *)g_base, iova, g_len, NULL, NULL);
    if (ret < 0 || (uint32_t)ret != g_count)
    {
        snprintf(g_last_error, sizeof g_last_error, "rte_mempool_populate_iova placed %d of %u objects: %s", ret,
            g_count, ret < 0 ? rte_strerror(-ret) : "short");
        rte_mempool_free(mp);
        return ret < 0 ? ret : -ENOSPC;
    }
    rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
    /* Verify the placement of every object before any driver sees one. */
    for (uint32_t bi = 0; bi < g_count; bi++)
    {
        struct rte_mbuf *m = mbuf_of(bi);
        if (m->pool != mp || m->buf_addr != g_base + (uint64_t)bi * g_stride + JVPP_PRE_DATA
            || m->data_off != JVPP_HEADROOM || m->buf_len != room)
        {
            snprintf(g_last_error, sizeof g_last_error, "mbuf of buffer %u is not where jvpp expects it", bi);
            rte_mempool_free(mp);
            return -EINVAL;
        }
    }
    /* Every object went onto the free ring; jvpp owns them all. Empty the ring: the Java side puts back
     * the buffers it gives DPDK. */
    void *objs[256];
    uint32_t drained = 0;
    while (drained < g_count)
    {
        uint32_t n = g_count - drained < 256 ? g_count - drained : 256;
        if (rte_mempool_get_bulk(mp, objs, n) != 0)
        {
            break;
        }
        drained += n;
    }
    if (drained != g_count || rte_mempool_avail_count(mp) != 0)
    {
        snprintf(g_last_error, sizeof g_last_error, "could not empty the mempool (%u of %u)", drained, g_count);
        rte_mempool_free(mp);
        return -EIO;
    }
    g_mp = mp;
    g_zero_copy = 1;
    return 0;
}

/*
 * Create the mbuf pool for arena [base, base + count * stride). zero_copy != 0 tries the in-arena pool;
 * returns 1 for zero-copy, 0 for copy mode (copy_pool_size mbufs of their own), negative errno on failure.
 * When zero-copy was asked and is impossible, jvpp_last_error says why and the return is -EINVAL.
 */
int jvpp_pool_create(const char *name, uint64_t base, uint32_t count, uint32_t stride, uint32_t data_size,
    int zero_copy, uint32_t copy_pool_size)
{
    if (g_mp != NULL)
    {
        snprintf(g_last_error, sizeof g_last_error, "the mbuf pool exists already");
        return -EEXIST;
    }
    g_base = (uint8_t *)(uintptr_t)base;
    g_count = count;
    g_stride = stride;
    g_len = (uint64_t)count * stride;
    g_data_size = data_size;
    if (zero_copy)
    {
        int ret = pool_create_zero_copy(name, 0);
        return ret < 0 ? ret : 1;
    }
    struct rte_mempool *mp = rte_pktmbuf_pool_create(name, copy_pool_size, 0, 0,
        (uint16_t)(RTE_PKTMBUF_HEADROOM + (data_size < 2048 ? 2048 : data_size > 16384 ? 16384 : data_size)),
        SOCKET_ID_ANY);
    if (mp == NULL)
    {
        snprintf(g_last_error, sizeof g_last_error, "rte_pktmbuf_pool_create: %s", rte_strerror(rte_errno));
        return -rte_errno;
    }
    g_mp = mp;
    g_zero_copy = 0;
    return 0;
}

/* Give jvpp buffers to the zero-copy pool (they become free mbufs). */
int jvpp_pool_put(const uint32_t *bis, uint32_t n)
{
    void *objs[256];
    uint32_t done = 0;
    while (done < n)
    {
        uint32_t k = n - done < 256 ? n - done : 256;
        for (uint32_t i = 0; i < k; i++)
        {
            objs[i] = mbuf_of(bis[done + i]);
        }
        rte_mempool_put_bulk(g_mp, objs, k);
        done += k;
    }
    return (int)n;
}

/* Take up to n free mbufs out of the zero-copy pool as jvpp buffer indices; returns how many. */
static uint32_t pool_take(uint32_t *bis, uint32_t n)
{
    void *objs[64];
    uint32_t got = 0;
    uint32_t chunk = 64;
    while (got < n && chunk > 0)
    {
        uint32_t k = n - got < chunk ? n - got : chunk;
        if (rte_mempool_get_bulk(g_mp, objs, k) != 0)
        {
            chunk >>= 1; /* all-or-nothing: try smaller bites */
            continue;
        }
        for (uint32_t i = 0; i < k; i++)
        {
            bis[got + i] = index_of((struct rte_mbuf *)objs[i]);
        }
        got += k;
    }
    return got;
}

int jvpp_pool_take(uint32_t *bis, uint32_t n)
{
    return (int)pool_take(bis, n);
}

int jvpp_pool_avail(void)
{
    return g_mp == NULL ? -1 : (int)rte_mempool_avail_count(g_mp);
}

uint64_t jvpp_rx_multiseg_drops(void)
{
    return g_rx_multiseg_drops;
}

/*
 * Receive up to max packets. stash[0..stash_n) are jvpp buffers the caller set aside; the packets consume
 * them from the end (zero-copy: they replace the received mbufs in the mempool; copy: the data is copied
 * into them). out gets two uint32 per packet: buffer index, (offset of data from the slot's buf_addr << 16)
 * | data length. Returns the packet count n; the caller drops stash[stash_n - n .. stash_n).
 */
int jvpp_rx_burst(uint16_t port, uint16_t q, const uint32_t *stash, uint32_t stash_n, uint32_t *out, uint16_t max)
{
    struct rte_mbuf *pkts[256];
    if (max > stash_n)
    {
        max = (uint16_t)stash_n;
    }
    if (max > 256)
    {
        max = 256;
    }
    if (max == 0)
    {
        return 0;
    }
    uint16_t n = rte_eth_rx_burst(port, q, pkts, max);
    if (n == 0)
    {
        return 0;
    }
    uint32_t k = 0;
    if (g_zero_copy)
    {
        void *refill[256];
        for (uint16_t i = 0; i < n; i++)
        {
            struct rte_mbuf *m = pkts[i];
            if (m->nb_segs != 1 || !in_arena(m))
            {
                g_rx_multiseg_drops++;
                rte_pktmbuf_free(m);
                continue;
            }
            uint32_t bi = index_of(m);
            out[2 * k] = bi;
            out[2 * k + 1] = ((uint32_t)m->data_off << 16) | m->data_len;
            /* Keep the free-mbuf invariant for the buffer's later life in jvpp. */
            m->ol_flags = 0;
            k++;
        }
        for (uint32_t i = 0; i < k; i++)
        {
            refill[i] = mbuf_of(stash[stash_n - k + i]);
        }
        if (k > 0)
        {
            rte_mempool_put_bulk(g_mp, refill, k);
        }
        return (int)k;
    }
    for (uint16_t i = 0; i < n; i++)
    {
        struct rte_mbuf *m = pkts[i];
        uint32_t len = m->pkt_len;
        if (len > g_data_size)
        {
            g_rx_multiseg_drops++;
            continue;
        }
        /* Consumed from the top down, so the k used ones are the top k of the stash. */
        uint32_t bi = stash[stash_n - 1 - k];
        uint8_t *dst = g_base + (uint64_t)bi * g_stride + JVPP_PRE_DATA + JVPP_HEADROOM;
        const void *src = rte_pktmbuf_read(m, 0, len, dst);
        if (src != dst)
        {
            memcpy(dst, src, len);
        }
        out[2 * k] = bi;
        out[2 * k + 1] = (JVPP_HEADROOM << 16) | len;
        k++;
    }
    rte_pktmbuf_free_bulk(pkts, n);
    return (int)k;
}

/*
 * Transmit n packets; desc holds three uint32 per packet: buffer index, arena offset of the data, length.
 * Returns sent | (returned << 16): the first `sent` packets were taken. back[0..returned) are jvpp buffers the
 * caller now owns and frees: zero-copy: mbufs taken out of the mempool in exchange (up to sent + debt, the
 * exchange a previous call could not complete); copy: the sent buffers themselves.
 */
int jvpp_tx_burst(uint16_t port, uint16_t q, const uint32_t *desc, uint16_t n, uint32_t *back, uint32_t debt)
{
    struct rte_mbuf *pkts[256];
    if (n > 256)
    {
        n = 256;
    }
    if (g_zero_copy)
    {
        uint16_t ok = 0;
        for (; ok < n; ok++)
        {
            uint32_t bi = desc[3 * ok];
            uint32_t off = desc[3 * ok + 1];
            uint32_t len = desc[3 * ok + 2];
            uint64_t buf = (uint64_t)bi * g_stride + JVPP_PRE_DATA;
            if (bi >= g_count || off < buf || off + len > buf + (g_stride - JVPP_PRE_DATA))
            {
                break; /* not a buffer of this arena or data outside it: the caller keeps it */
            }
            struct rte_mbuf *m = mbuf_of(bi);
            m->data_off = (uint16_t)(off - buf);
            m->data_len = (uint16_t)len;
            m->pkt_len = len;
            m->nb_segs = 1;
            m->next = NULL;
            m->ol_flags = 0;
            m->tx_offload = 0;
            m->packet_type = 0;
            m->port = port;
            pkts[ok] = m;
        }
        uint16_t sent = ok == 0 ? 0 : rte_eth_tx_burst(port, q, pkts, ok);
        uint32_t want = sent + debt;
        uint32_t got = want == 0 ? 0 : pool_take(back, want > 512 ? 512 : want);
        return (int)(sent | (got << 16));
    }
    uint16_t ready = 0;
    if (rte_pktmbuf_alloc_bulk(g_mp, pkts, n) != 0)
    {
        return 0;
    }
    for (; ready < n; ready++)
    {
        uint32_t off = desc[3 * ready + 1];
        uint32_t len = desc[3 * ready + 2];
        char *dst = rte_pktmbuf_append(pkts[ready], (uint16_t)len);
        if (dst == NULL || len > UINT16_MAX)
        {
            break;
        }
        memcpy(dst, g_base + off, len);
    }
    uint16_t sent = ready == 0 ? 0 : rte_eth_tx_burst(port, q, pkts, ready);
    if (sent < n)
    {
        rte_pktmbuf_free_bulk(pkts + sent, n - sent);
    }
    for (uint16_t i = 0; i < sent; i++)
    {
        back[i] = desc[3 * i];
    }
    return (int)(sent | ((uint32_t)sent << 16));
}

/* ---- devices ---- */

int jvpp_port_count(void)
{
    return rte_eth_dev_count_avail();
}

/* Probe a device (vdev "net_ring0,..." or a PCI address) unless a port of that name exists; returns the port id. */
int jvpp_port_attach(const char *devargs, const char *name)
{
    uint16_t port;
    if (rte_eth_dev_get_port_by_name(name, &port) == 0)
    {
        return port;
    }
    int ret = rte_dev_probe(devargs);
    if (ret < 0)
    {
        snprintf(g_last_error, sizeof g_last_error, "cannot probe DPDK device `%s': %s", devargs, rte_strerror(-ret));
        return ret;
    }
    if (rte_eth_dev_get_port_by_name(name, &port) != 0)
    {
        snprintf(g_last_error, sizeof g_last_error, "device `%s' probed but no ethernet port named `%s'", devargs, name);
        return -ENODEV;
    }
    return port;
}

int jvpp_port_by_name(const char *name)
{
    uint16_t port;
    return rte_eth_dev_get_port_by_name(name, &port) == 0 ? port : -ENODEV;
}

/* Configure rxq/txq queues (RSS when rxq > 1), set them up on the pool and start; nrxd/ntxd may be adjusted. */
int jvpp_port_setup(uint16_t port, uint16_t rxq, uint16_t txq, uint16_t nrxd, uint16_t ntxd)
{
    struct rte_eth_dev_info info;
    struct rte_eth_conf conf;
    int ret = rte_eth_dev_info_get(port, &info);
    if (ret != 0)
    {
        snprintf(g_last_error, sizeof g_last_error, "port %u: dev_info: %s", port, rte_strerror(-ret));
        return ret;
    }
    if (rxq > info.max_rx_queues || txq > info.max_tx_queues)
    {
        snprintf(g_last_error, sizeof g_last_error, "port %u (%s): %u rx / %u tx queues asked, the device has %u / %u",
            port, info.driver_name, rxq, txq, info.max_rx_queues, info.max_tx_queues);
        return -EINVAL;
    }
    memset(&conf, 0, sizeof conf);
    if (rxq > 1 && info.flow_type_rss_offloads != 0)
    {
        conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
        conf.rx_adv_conf.rss_conf.rss_hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;
    }
    ret = rte_eth_dev_configure(port, rxq, txq, &conf);
    if (ret != 0)
    {
        snprintf(g_last_error, sizeof g_last_error, "port %u: configure %u/%u queues: %s", port, rxq, txq,
            rte_strerror(-ret));
        return ret;
    }
    ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nrxd, &ntxd);
    if (ret != 0)
    {
        snprintf(g_last_error, sizeof g_last_error, "port %u: descriptors: %s", port, rte_strerror(-ret));
        return ret;
    }
    int socket = rte_eth_dev_socket_id(port);
    for (uint16_t q = 0; q < rxq; q++)
    {
        ret = rte_eth_rx_queue_setup(port, q, nrxd, socket < 0 ? SOCKET_ID_ANY : socket, NULL, g_mp);
        if (ret != 0)
        {
            snprintf(g_last_error, sizeof g_last_error, "port %u: rx queue %u: %s", port, q, rte_strerror(-ret));
            return ret;
        }
    }
    for (uint16_t q = 0; q < txq; q++)
    {
        ret = rte_eth_tx_queue_setup(port, q, ntxd, socket < 0 ? SOCKET_ID_ANY : socket, NULL);
        if (ret != 0)
        {
            snprintf(g_last_error, sizeof g_last_error, "port %u: tx queue %u: %s", port, q, rte_strerror(-ret));
            return ret;
        }
    }
    ret = rte_eth_dev_start(port);
    if (ret != 0)
    {
        snprintf(g_last_error, sizeof g_last_error, "port %u: start: %s", port, rte_strerror(-ret));
        return ret;
    }
    return 0;
}

int jvpp_port_start(uint16_t port)
{
    return rte_eth_dev_start(port);
}

int jvpp_port_stop(uint16_t port)
{
    return rte_eth_dev_stop(port);
}

/* Stop, close and detach (so that the same vdev can be created again). */
int jvpp_port_close(uint16_t port)
{
    struct rte_eth_dev_info info;
    struct rte_device *dev = NULL;
    if (rte_eth_dev_info_get(port, &info) == 0)
    {
        dev = info.device;
    }
    rte_eth_dev_stop(port);
    int ret = rte_eth_dev_close(port);
    if (ret == 0 && dev != NULL)
    {
        ret = rte_dev_remove(dev);
    }
    return ret;
}

/* Low 48 bits: the MAC in network order (first byte most significant). */
int64_t jvpp_port_mac(uint16_t port)
{
    struct rte_ether_addr a;
    if (rte_eth_macaddr_get(port, &a) != 0)
    {
        return 0;
    }
    int64_t mac = 0;
    for (int i = 0; i < 6; i++)
    {
        mac = (mac << 8) | a.addr_bytes[i];
    }
    return mac;
}

/* 1 up, 0 down, negative errno; speed in Mb/s into *speed. */
int jvpp_port_link(uint16_t port, uint32_t *speed)
{
    struct rte_eth_link link;
    int ret = rte_eth_link_get_nowait(port, &link);
    if (ret != 0)
    {
        return ret;
    }
    if (speed != NULL)
    {
        *speed = link.link_speed;
    }
    return link.link_status == RTE_ETH_LINK_UP;
}

/* ipackets, opackets, ibytes, obytes, imissed, ierrors, oerrors, rx_nombuf */
int jvpp_port_stats(uint16_t port, uint64_t *out)
{
    struct rte_eth_stats s;
    int ret = rte_eth_stats_get(port, &s);
    if (ret != 0)
    {
        return ret;
    }
    out[0] = s.ipackets;
    out[1] = s.opackets;
    out[2] = s.ibytes;
    out[3] = s.obytes;
    out[4] = s.imissed;
    out[5] = s.ierrors;
    out[6] = s.oerrors;
    out[7] = s.rx_nombuf;
    return 0;
}

int jvpp_port_xstats_count(uint16_t port)
{
    return rte_eth_xstats_get_names(port, NULL, 0);
}

/* Up to n xstats: names as 64-byte NUL-terminated strings, values as uint64; returns how many. */
int jvpp_port_xstats(uint16_t port, char *names, uint64_t *values, uint32_t n)
{
    struct rte_eth_xstat_name *xn = calloc(n, sizeof *xn);
    struct rte_eth_xstat *xs = calloc(n, sizeof *xs);
    int ret = -ENOMEM;
    if (xn != NULL && xs != NULL)
    {
        int got = rte_eth_xstats_get_names(port, xn, n);
        int vals = rte_eth_xstats_get(port, xs, n);
        ret = got < vals ? got : vals;
        for (int i = 0; i < ret; i++)
        {
            snprintf(names + 64 * i, 64, "%s", xn[i].name);
            values[i] = xs[i].value;
        }
    }
    free(xn);
    free(xs);
    return ret;
}

int jvpp_port_name(uint16_t port, char *out, uint32_t n)
{
    char name[RTE_ETH_NAME_MAX_LEN];
    int ret = rte_eth_dev_get_name_by_port(port, name);
    if (ret == 0)
    {
        snprintf(out, n, "%s", name);
    }
    return ret;
}

/* The device's largest MTU: max_mtu when it says one, else max_rx_pktlen less the Ethernet header and CRC. */
int jvpp_port_max_mtu(uint16_t port)
{
    struct rte_eth_dev_info info;
    int ret = rte_eth_dev_info_get(port, &info);
    if (ret != 0)
    {
        return ret;
    }
    const uint32_t overhead = RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;
    uint32_t mtu = info.max_rx_pktlen > overhead ? info.max_rx_pktlen - overhead : 0;
    if (info.max_mtu != 0 && info.max_mtu < mtu)
    {
        mtu = info.max_mtu;
    }
    return mtu > 65535 ? 65535 : (int)mtu;
}

int jvpp_port_driver(uint16_t port, char *out, uint32_t n)
{
    struct rte_eth_dev_info info;
    int ret = rte_eth_dev_info_get(port, &info);
    if (ret == 0)
    {
        snprintf(out, n, "%s", info.driver_name);
    }
    return ret;
}

/*
 * The burst calls with one argument: JNA's cost grows with the argument count (~83 ns for none, ~185 ns for
 * six on the dev VM), so the per-queue arguments sit in a native context the Java side fills:
 *   ctx[0] = port | queue << 16 | n (rx: max, tx: count) << 32
 *   ctx[1] = rx: stash address       tx: descriptor address
 *   ctx[2] = rx: stash count         tx: debt
 *   ctx[3] = rx: out address         tx: back address
 */
int jvpp_rx_ctx(const uint64_t *ctx)
{
    return jvpp_rx_burst((uint16_t)ctx[0], (uint16_t)(ctx[0] >> 16), (const uint32_t *)(uintptr_t)ctx[1],
        (uint32_t)ctx[2], (uint32_t *)(uintptr_t)ctx[3], (uint16_t)(ctx[0] >> 32));
}

int jvpp_tx_ctx(const uint64_t *ctx)
{
    return jvpp_tx_burst((uint16_t)ctx[0], (uint16_t)(ctx[0] >> 16), (const uint32_t *)(uintptr_t)ctx[1],
        (uint16_t)(ctx[0] >> 32), (uint32_t *)(uintptr_t)ctx[3], (uint32_t)ctx[2]);
}
