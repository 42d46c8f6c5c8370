import Foundation

extension CompiledMapping {
    /// Whether this mapping's `match` fits the document.
    /// - Throws: ``MappingError`` (field `match`) when a `matches` pattern gave up on a value.
    func matches(_ document: SourceDocument, formID: String?) throws -> Bool {
        if let format = match.format, format != document.format { return false }
        if let root = match.root {
            guard document.format == .xml else { return false }
            let node = document.rootElement
            guard document.bytes(document.nodes[Int(node)].name, equal: root.name),
                  ExactText.equal(document.namespace(of: node), root.namespace)
            else { return false }
        }
        if let ids = match.formIDs {
            guard let formID, ids.contains(where: { ExactText.equal($0, formID) }) else { return false }
        }
        let evaluator = MappingEvaluator(mapping: self, document: document)
        return try match.conditions.allSatisfy { try evaluator.holds($0, context: document.top, field: "match") }
    }

    /// Maps the document; all or nothing.
    func run(_ document: SourceDocument, attachments submitted: [MappingAttachment]) throws -> MappedDocument {
        let evaluator = MappingEvaluator(mapping: self, document: document)
        var parts: [MappedPart] = []
        var topLevel: [OutputMember]
        switch output.format {
        case .csv:
            return try runCSV(evaluator, document: document, submitted: submitted)
        case .json, .xml:
            topLevel = try evaluator.members(fields, context: document.top)
            if attachments.mode != .drop {
                let all = try collectAttachments(evaluator, document: document, submitted: submitted)
                if let field = attachments.field {
                    var list: [OutputValue] = []
                    for (offset, attachment) in all.enumerated() {
                        var members = [
                            OutputMember(name: Self.attachmentName("name"), value: .string(attachment.name)),
                            OutputMember(name: Self.attachmentName("contentType"), value: .string(attachment.contentType)),
                            OutputMember(name: Self.attachmentName("size"), value: .number(String(attachment.data.count))),
                        ]
                        if attachments.mode == .base64 {
                            members.append(OutputMember(name: Self.attachmentName("content"), value: .string(attachment.data.base64EncodedString())))
                        } else {
                            members.append(OutputMember(name: Self.attachmentName("part"), value: .number(String(offset + 1))))
                        }
                        list.append(.object(members))
                    }
                    topLevel.append(OutputMember(name: field, value: .array(list)))
                }
                if attachments.mode == .parts { parts = all }
            }
        }
        let body: [UInt8]
        if output.format == .json {
            var writer = JSONOutputWriter(pretty: output.pretty)
            writer.write(.object(topLevel))
            body = writer.bytes
        } else {
            var writer = XMLOutputWriter(spec: output)
            do {
                try writer.write(root: output.root ?? OutputName(key: target, local: target), members: topLevel)
            } catch let error as XMLOutputWriter.UnrepresentableCharacter {
                throw evaluator.failure(.notAValue, error.member, "", "value contains a control character that XML cannot carry")
            }
            body = writer.bytes
        }
        return MappedDocument(body: Data(body), contentType: output.contentType, fileExtension: output.format.rawValue, parts: parts)
    }

    private static func attachmentName(_ key: String) -> OutputName {
        OutputName(key: key, local: key)
    }

    private func runCSV(_ evaluator: MappingEvaluator, document: SourceDocument, submitted: [MappingAttachment]) throws -> MappedDocument {
        var writer = CSVOutputWriter(spec: output)
        if output.header { writer.writeHeader(fields.map(\.name.key)) }
        var contexts: [Int32] = [document.top]
        if let rows = output.rows {
            contexts = document.select(rows, from: document.top).compactMap { if case .node(let n) = $0 { return n } else { return nil } }
        }
        for (offset, context) in contexts.enumerated() {
            var cells: [String] = []
            cells.reserveCapacity(fields.count)
            for field in fields {
                guard case .value(let spec) = field.body else { continue }
                if let when = field.when, try !evaluator.holds(when, context: context, field: field.qualifiedName) {
                    cells.append("")
                    continue
                }
                do {
                    cells.append(try evaluator.value(spec, field: field.qualifiedName, context: context)?.scalarText ?? "")
                } catch var error as MappingError where output.rows != nil {
                    error.field = "row \(offset + 1): " + error.field
                    throw error
                }
            }
            writer.writeRow(cells)
        }
        let parts = attachments.mode == .parts ? try collectAttachments(evaluator, document: document, submitted: submitted) : []
        return MappedDocument(body: Data(writer.bytes), contentType: output.contentType, fileExtension: "csv", parts: parts)
    }

    /// Attachments embedded in the document (decoded from base64), then those sent with the submission.
    private func collectAttachments(_ evaluator: MappingEvaluator, document: SourceDocument, submitted: [MappingAttachment]) throws -> [MappedPart] {
        var result: [MappedPart] = []
        if let inline = attachments.inline {
            var position = 0
            for item in document.select(inline.each, from: document.top) {
                guard case .node(let node) = item else { continue }
                position += 1
                let itemPath = "\(inline.each.source)[\(position)]"
                func single(_ path: PathExpression) throws -> String {
                    let texts = document.select(path, from: node).compactMap { document.text(of: $0) }
                    guard texts.count == 1, !texts[0].isEmpty else {
                        throw evaluator.failure(.badAttachment, "attachments", itemPath + "/" + path.source, "attachment needs exactly one non-empty value here")
                    }
                    return texts[0]
                }
                let name = try single(inline.name)
                let contentType = try single(inline.contentType)
                let encoded = try single(inline.content)
                // XÖV wraps base64 at 76 columns; line breaks and indentation are not part of the content.
                let compact = Data(encoded.utf8.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D })
                guard let data = Data(base64Encoded: compact) else {
                    throw evaluator.failure(.badAttachment, "attachments", itemPath + "/" + inline.content.source, "attachment content is not valid base64")
                }
                if let sizePath = inline.size {
                    let declared = try single(sizePath)
                    guard Int(declared) == data.count else {
                        throw evaluator.failure(.badAttachment, "attachments", itemPath + "/" + sizePath.source,
                                                "decoded attachment has \(data.count) bytes, the document declares another size")
                    }
                }
                result.append(MappedPart(name: name, contentType: contentType, data: data))
            }
        }
        for attachment in submitted {
            result.append(MappedPart(name: attachment.name, contentType: attachment.contentType, data: attachment.data))
        }
        return result
    }
}
