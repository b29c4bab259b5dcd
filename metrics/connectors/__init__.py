"""Platform connectors: fetch post metrics, comments and follower counts from each platform."""
