import Foundation

/// One attachment passed to the target as a separate part (multipart body or file next to the body):
/// file name as the citizen uploaded it, media type, and the decoded bytes.
package typealias MappedPart = MappingAttachment
