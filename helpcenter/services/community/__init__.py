"""Peer help: posts (ask, reply, accept, vote), listings, moderation, reputation, notifications to
followers, requests to the support team, how the community is doing, and the sample community."""
