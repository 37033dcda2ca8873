/**
 * The part of pdfkit's API the transcript uses. pdfkit ships no types of its own, and the
 * DefinitelyTyped package trails its releases; declaring these few calls keeps the dependency one.
 * https://pdfkit.org/docs/getting_started.html
 */
declare module 'pdfkit' {
  import type { EventEmitter } from 'node:events';

  interface TextOptions {
    width?: number;
    align?: 'left' | 'center' | 'right' | 'justify';
    lineGap?: number;
    paragraphGap?: number;
    continued?: boolean;
    indent?: number;
  }

  interface DocumentOptions {
    size?: string | [number, number];
    margin?: number;
    bufferPages?: boolean;
    autoFirstPage?: boolean;
    compress?: boolean;
    lang?: string;
    displayTitle?: boolean;
    info?: { Title?: string; Author?: string; Subject?: string; Creator?: string; Producer?: string; CreationDate?: Date };
  }

  class PDFDocument extends EventEmitter {
    constructor(options?: DocumentOptions);
    readonly page: { readonly width: number; readonly height: number; readonly margins: { top: number; bottom: number; left: number; right: number } };
    x: number;
    y: number;
    registerFont(name: string, src: string, family?: string): this;
    font(name: string, size?: number): this;
    fontSize(size: number): this;
    fillColor(color: string, opacity?: number): this;
    strokeColor(color: string, opacity?: number): this;
    lineWidth(width: number): this;
    lineCap(cap: 'butt' | 'round' | 'square'): this;
    text(text: string, options?: TextOptions): this;
    text(text: string, x: number, y: number, options?: TextOptions): this;
    heightOfString(text: string, options?: TextOptions): number;
    moveDown(lines?: number): this;
    roundedRect(x: number, y: number, width: number, height: number, radius: number): this;
    rect(x: number, y: number, width: number, height: number): this;
    circle(x: number, y: number, radius: number): this;
    moveTo(x: number, y: number): this;
    lineTo(x: number, y: number): this;
    path(svgPath: string): this;
    fill(color?: string): this;
    stroke(color?: string): this;
    save(): this;
    restore(): this;
    translate(x: number, y: number): this;
    scale(factor: number): this;
    addPage(): this;
    end(): void;
  }
  export default PDFDocument;
}
