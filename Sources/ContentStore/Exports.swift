// `Digest` lives in its own small target (ContentDigest) so that planning and evaluation can name
// digests without importing the store; every user of the store sees it as before.
@_exported import ContentDigest
