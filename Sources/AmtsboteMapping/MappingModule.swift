// AmtsboteMapping: documents (XML/JSON into one neutral tree), the path language,
// the mapping compiler and evaluator, and code lists. Independent of the spool.
