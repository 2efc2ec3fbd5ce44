// The corpus' file formats (documents, shards, headers, their JSON) live in CorpusFormat, which
// readers such as the trainer import alone; users of the corpus see them as before.
@_exported import CorpusFormat
