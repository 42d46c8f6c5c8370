/// Writes an ``OutputValue`` as XML in the target's own namespaces.
///
/// Members named `@x` become attributes of the enclosing element, `text()` its character data,
/// arrays become repeated elements. Namespaces are declared once, on the root element.
struct XMLOutputWriter {
    let spec: OutputSpec
    private(set) var bytes: [UInt8] = []

    /// A character XML 1.0 cannot carry (e.g. U+0001 from a JSON `\u0001`), with the member it was in.
    struct UnrepresentableCharacter: Error {
        var member: String
    }

    init(spec: OutputSpec, capacity: Int = 4096) {
        self.spec = spec
        bytes.reserveCapacity(capacity)
    }

    mutating func write(root: OutputName, members: [OutputMember]) throws {
        if spec.declaration {
            bytes.append(contentsOf: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8)
        }
        var declarations: [(String, String)] = []
        if let uri = spec.defaultNamespace { declarations.append(("xmlns", uri)) }
        for (prefix, uri) in spec.namespaces { declarations.append(("xmlns:" + prefix, uri)) }
        try writeElement(root, members: members, extraAttributes: declarations, indent: 0)
        bytes.append(0x0A)
    }

    private mutating func newline(_ indent: Int) {
        guard spec.pretty else { return }
        bytes.append(0x0A)
        for _ in 0 ..< indent * 2 { bytes.append(0x20) }
    }

    private mutating func writeElement(_ name: OutputName, members: [OutputMember], extraAttributes: [(String, String)], indent: Int) throws {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.qualified.utf8)
        for (attribute, value) in extraAttributes {
            bytes.append(0x20)
            bytes.append(contentsOf: attribute.utf8)
            bytes.append(contentsOf: "=\"".utf8)
            try escape(value, attribute: true, member: attribute)
            bytes.append(UInt8(ascii: "\""))
        }
        var text: String?
        var hasChildren = false
        for member in members {
            if member.name.isAttribute {
                guard let value = member.value.scalarText else { continue }
                bytes.append(0x20)
                bytes.append(contentsOf: member.name.qualified.utf8)
                bytes.append(contentsOf: "=\"".utf8)
                try escape(value, attribute: true, member: member.name.key)
                bytes.append(UInt8(ascii: "\""))
            } else if member.name.isText {
                text = member.value.scalarText
            } else {
                hasChildren = true
            }
        }
        if !hasChildren {
            guard let text, !text.isEmpty else {
                bytes.append(contentsOf: "/>".utf8)
                return
            }
            bytes.append(UInt8(ascii: ">"))
            try escape(text, attribute: false, member: name.key)
        } else {
            bytes.append(UInt8(ascii: ">"))
            if let text { try escape(text, attribute: false, member: name.key) }
            for child in members where !child.name.isAttribute && !child.name.isText {
                try writeMember(child, indent: indent + 1)
            }
            newline(indent)
        }
        bytes.append(contentsOf: "</".utf8)
        bytes.append(contentsOf: name.qualified.utf8)
        bytes.append(UInt8(ascii: ">"))
    }

    private mutating func writeMember(_ member: OutputMember, indent: Int) throws {
        switch member.value {
        case .array(let items):
            for item in items {
                try writeMember(OutputMember(name: member.name, value: item), indent: indent)
            }
        case .object(let members):
            newline(indent)
            try writeElement(member.name, members: members, extraAttributes: [], indent: indent)
        case .null:
            newline(indent)
            bytes.append(UInt8(ascii: "<"))
            bytes.append(contentsOf: member.name.qualified.utf8)
            bytes.append(contentsOf: "/>".utf8)
        case .string(let text), .number(let text):
            newline(indent)
            try writeLeaf(member.name, text)
        case .boolean(let flag):
            newline(indent)
            try writeLeaf(member.name, flag ? "true" : "false")
        }
    }

    private mutating func writeLeaf(_ name: OutputName, _ text: String) throws {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.qualified.utf8)
        bytes.append(UInt8(ascii: ">"))
        try escape(text, attribute: false, member: name.key)
        bytes.append(contentsOf: "</".utf8)
        bytes.append(contentsOf: name.qualified.utf8)
        bytes.append(UInt8(ascii: ">"))
    }

    private mutating func escape(_ text: String, attribute: Bool, member: String) throws {
        var text = text
        try text.withUTF8 { utf8 in
            // Copy runs of bytes that need no escape in one go.
            var runStart = 0
            for index in 0 ..< utf8.count {
                let byte = utf8[index]
                let special = byte < 0x20 || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                    || (attribute && byte == UInt8(ascii: "\""))
                guard special else { continue }
                if index > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart ..< index])) }
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
                case 0x09 where attribute: bytes.append(contentsOf: "&#9;".utf8)
                case 0x0A where attribute: bytes.append(contentsOf: "&#10;".utf8)
                case 0x0D: bytes.append(contentsOf: "&#13;".utf8)
                case 0x09, 0x0A: bytes.append(byte)
                default: throw UnrepresentableCharacter(member: member)
                }
            }
            if utf8.count > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart ..< utf8.count])) }
        }
    }
}
