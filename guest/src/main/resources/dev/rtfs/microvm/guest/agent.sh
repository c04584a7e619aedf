#!/bin/busybox sh
# rtfs-microvm reference guest agent (placeholder until the protocol implementation lands).
echo "rtfs-agent: not implemented yet"
