//! The webhook listener's limits: a slow-loris connection is closed once its header or
//! body read times out, and connections beyond the cap wait unserved until one frees.

mod events_support;

use std::time::{Duration, Instant};

use events_support::*;
use tdbi::events::{EventsServer, ListenerLimits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn limits(max_connections: usize) -> ListenerLimits {
    ListenerLimits {
        header_timeout: Duration::from_millis(500),
        body_timeout: Duration::from_millis(800),
        max_connections,
    }
}

/// Sends `bytes` one per 100 ms until the server closes; how long it took.
async fn trickle(stream: &mut TcpStream, bytes: &[u8]) -> Duration {
    let started = Instant::now();
    for byte in bytes.iter().cycle().take(400) {
        if stream.write_all(&[*byte]).await.is_err() {
            return started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut buf = [0u8; 512];
        // A closed connection (EOF, reset) or an answer (408) ends the trickle.
        let read = tokio::time::timeout(Duration::from_millis(1), stream.read(&mut buf));
        if read.await.is_ok() {
            return started.elapsed();
        }
    }
    panic!("still open after {:?}", started.elapsed());
}

#[tokio::test]
async fn slow_headers_and_slow_bodies_are_cut_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = config(dir.path(), false, Vec::new());
    let (server, _rx) = EventsServer::start_with_limits(&config, limits(8))
        .await
        .expect("starts");
    let mut slow = TcpStream::connect(server.local_addr())
        .await
        .expect("connects");
    let took = trickle(
        &mut slow,
        b"POST /events HTTP/1.1\r\nHost: x\r\nX-Pad: aaaaaaa",
    )
    .await;
    assert!(
        took < Duration::from_secs(3),
        "header read open for {took:?}"
    );

    // A connection that never sends a byte is closed too.
    let mut idle = TcpStream::connect(server.local_addr())
        .await
        .expect("connects");
    let mut buf = [0u8; 64];
    let closed = tokio::time::timeout(Duration::from_secs(3), idle.read(&mut buf)).await;
    assert!(closed.is_ok(), "an idle connection was kept");
    let mut slow = TcpStream::connect(server.local_addr())
        .await
        .expect("connects");
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n",
        config.path
    );
    slow.write_all(head.as_bytes()).await.expect("head sent");
    let took = trickle(&mut slow, b"{").await;
    assert!(took < Duration::from_secs(3), "body read open for {took:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_until_one_frees() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = config(dir.path(), false, Vec::new());
    let generous = ListenerLimits {
        header_timeout: Duration::from_secs(30),
        ..limits(2)
    };
    let (server, _rx) = EventsServer::start_with_limits(&config, generous)
        .await
        .expect("starts");
    let addr = server.local_addr();
    let holder = TcpStream::connect(addr).await.expect("first");
    let _second = TcpStream::connect(addr).await.expect("second");
    tokio::time::sleep(Duration::from_millis(100)).await;

    let url = server.url();
    let delivery = tokio::spawn(async move { post(&url, trial_ended("capped"), None, None).await });
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!delivery.is_finished(), "served beyond the cap");
    drop(holder);
    let (status, answer) = tokio::time::timeout(DEADLINE, delivery)
        .await
        .expect("served once a connection freed")
        .expect("joined");
    assert_eq!(status, reqwest::StatusCode::OK, "{answer}");
    server.shutdown().await;
}
