namespace Backup.IntegrationTests.Support;

/// <summary>
/// The ceph.conf of a throwaway one-monitor, one-OSD, one-gateway cluster whose every file (run dir,
/// pid files, admin sockets, logs, keyrings, monitor and OSD data) lives under one folder, so nothing
/// touches /etc/ceph or /var/lib/ceph and several clusters can run side by side.
/// What each setting is for was measured on this machine: ../shared/notes/ceph-rgw.md.
/// </summary>
public static class CephConf
{
    public const string Monitor = "a";
    public const int Osd = 0;
    public const string Gateway = "client.rgw.specs";

    // Ceph's parser rejects a last line without its newline.
    public static string Render(string folder, string fsid, int monitorPort, int gatewayPort) => $"""
        [global]
        fsid = {fsid}
        mon host = [v2:127.0.0.1:{monitorPort}]
        public addr = 127.0.0.1
        cluster addr = 127.0.0.1
        public network = 127.0.0.1/32
        # Only msgr2 on the one port we picked; msgr1 would bind 6789 and clash with other clusters.
        ms bind msgr1 = false
        ms bind ipv6 = false
        run dir = {folder}/run
        log file = {folder}/log/$name.log
        pid file = {folder}/run/$name.pid
        # The ceph CLI and radosgw-admin log in as client.admin with this keyring.
        keyring = {folder}/admin.keyring
        # One OSD: every pool must live with a single copy on it.
        osd pool default size = 1
        osd pool default min size = 1
        osd pool default pg num = 8
        osd pool default pgp num = 8
        osd pool default pg autoscale mode = off
        osd crush chooseleaf type = 0
        mon allow pool size one = true
        mon warn on pool no redundancy = false
        auth allow insecure global id reclaim = false
        # Each pool the gateway creates at its first start otherwise waits ~1 s for paxos: 13 s -> 2.5 s.
        paxos propose interval = 0.1
        paxos min wait = 0.01

        # Admin sockets only for the daemons: a client sharing one fixed socket name with a daemon
        # fails to bind it (clients get the default name, which holds their pid).
        [mon]
        mon data = {folder}/mon/$id
        admin socket = {folder}/run/$name.asok

        [osd]
        osd data = {folder}/osd/$id
        keyring = {folder}/osd/$id/keyring
        # RAM only, no disk; the cap is far above what the specs store.
        osd objectstore = memstore
        memstore device bytes = 1073741824
        admin socket = {folder}/run/$name.asok

        [{Gateway}]
        keyring = {folder}/gateway.keyring
        rgw data = {folder}/gateway
        rgw frontends = beast endpoint=127.0.0.1:{gatewayPort}
        admin socket = {folder}/run/$name.asok
        """ + "\n";
}
