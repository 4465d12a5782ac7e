import { fromBinary, toBinary } from '@bufbuild/protobuf';
import type { DescriptorProto, FieldDescriptorProto, FileDescriptorProto } from '@bufbuild/protobuf/wkt';
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import type { AnyDefinition, EnumTypeDefinition, MessageTypeDefinition, PackageDefinition } from '@grpc/proto-loader';

// proto-loader re-creates file descriptors through protobufjs, which marks a message that has a map field
// as a map entry itself, may name map entry types after the field ("Statuses", not "StatusesEntry"), and
// leaves type names relative. Strict reflection clients (grpcurl, protobuf-go) then refuse the
// descriptors. The helpers below hand reflection faithful descriptors instead.

/** Each file of a binary FileDescriptorSet (as `buf build` writes it), encoded on its own. */
export function filesOfDescriptorSet(set: Uint8Array): Buffer[] {
  return fromBinary(FileDescriptorSetSchema, set).file.map((file) => Buffer.from(toBinary(FileDescriptorProtoSchema, file)));
}

function pascalCase(field: string): string {
  return field
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Names every message and enum of a file, fully qualified without the leading dot. */
function declaredTypes(file: FileDescriptorProto): Set<string> {
  const names = new Set<string>();
  const visit = (message: DescriptorProto, scope: string): void => {
    const name = `${scope}${message.name}`;
    names.add(name);
    for (const e of message.enumType) names.add(`${name}.${e.name}`);
    for (const nested of message.nestedType) visit(nested, `${name}.`);
  };
  const prefix = file.package ? `${file.package}.` : '';
  for (const e of file.enumType) names.add(`${prefix}${e.name}`);
  for (const message of file.messageType) visit(message, prefix);
  return names;
}

/** Resolves a type name the way protoc does: innermost scope first; absolute names stay. */
function qualify(typeName: string, scope: string, known: Set<string>): string {
  if (typeName === '' || typeName.startsWith('.')) return typeName;
  for (let s = scope; ; s = s.slice(0, Math.max(0, s.lastIndexOf('.')))) {
    const candidate = s ? `${s}.${typeName}` : typeName;
    if (known.has(candidate)) return `.${candidate}`;
    if (s === '') return typeName;
  }
}

/** Fixes map entries and qualifies field type names in `message` (whose full name is `scope`). */
function repairMessage(message: DescriptorProto, scope: string, known: Set<string>): void {
  if (message.options) message.options.mapEntry = false;
  for (const field of message.field) field.typeName = qualify(field.typeName, scope, known);
  for (const nested of message.nestedType) {
    const wasEntry = nested.options?.mapEntry === true;
    repairMessage(nested, `${scope}.${nested.name}`, known);
    const field: FieldDescriptorProto | undefined = message.field.find((f) => f.typeName === `.${scope}.${nested.name}`);
    if (!wasEntry || !nested.options || !field) continue;
    nested.name = `${pascalCase(field.name)}Entry`;
    nested.options.mapEntry = true;
    field.typeName = `.${scope}.${nested.name}`;
  }
}

/**
 * Repairs a FileDescriptorProto that protobufjs produced: type names become fully qualified, only
 * nested map entry types keep the map_entry option, and each is named `<FieldName>Entry` as protoc
 * names it.
 */
export function repairProtobufjsFile(file: Uint8Array): Buffer {
  const proto = fromBinary(FileDescriptorProtoSchema, file);
  const known = declaredTypes(proto);
  const pkg = proto.package;
  for (const message of proto.messageType) repairMessage(message, pkg ? `${pkg}.${message.name}` : message.name, known);
  for (const service of proto.service) {
    for (const method of service.method) {
      method.inputType = qualify(method.inputType, pkg, known);
      method.outputType = qualify(method.outputType, pkg, known);
    }
  }
  return Buffer.from(toBinary(FileDescriptorProtoSchema, proto));
}

function isTypeDefinition(definition: AnyDefinition): definition is MessageTypeDefinition | EnumTypeDefinition {
  return typeof definition.format === 'string';
}

/** The file descriptors proto-loader attached to a package definition (every type carries the same list). */
export function fileDescriptorsOf(packages: PackageDefinition): Buffer[] {
  const first = Object.values(packages).find(isTypeDefinition);
  return first ? [...first.fileDescriptorProtos] : [];
}

/**
 * The same package definition with `files` as the file descriptors of every message and enum type,
 * which is where gRPC reflection reads them from.
 */
export function withFileDescriptors(packages: PackageDefinition, files: readonly Buffer[]): PackageDefinition {
  const result: PackageDefinition = {};
  for (const [name, definition] of Object.entries(packages)) {
    result[name] = isTypeDefinition(definition) ? { ...definition, fileDescriptorProtos: [...files] } : definition;
  }
  return result;
}
