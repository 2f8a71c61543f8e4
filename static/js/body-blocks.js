// The story body's blocks in the editor (django-prose-editor loads this module for the
// extensions articles/body.py names). Each node writes exactly the HTML its processor
// there lets through the sanitiser; photos, galleries and embeds are empty markers the
// story page expands (articles/blocks.py).
import { Node, mergeAttributes, updateAttrsDialog } from "django-prose-editor/editor"

const PHOTO_IDS = /^[1-9][0-9]{0,9}( [1-9][0-9]{0,9})*$/

// An empty marker element: its attributes name what the page shows in its place.
const markerNode = ({ name, tag, attribute, label, extra = {}, dialog, icon }) =>
  Node.create({
    name,
    group: "block",
    atom: true,
    draggable: true,
    addAttributes() {
      return {
        value: {
          default: "",
          parseHTML: (element) => element.getAttribute(attribute) || "",
          renderHTML: (attrs) => ({ [attribute]: attrs.value }),
        },
        ...extra,
      }
    },
    parseHTML() {
      return [{ tag: `${tag}[${attribute}]` }]
    },
    renderHTML({ HTMLAttributes }) {
      return [tag, mergeAttributes(HTMLAttributes)]
    },
    addNodeView() {
      return ({ node }) => {
        const dom = document.createElement("div")
        dom.className = "body-block-marker"
        dom.textContent = `${label}: ${node.attrs.value}${node.attrs.layout ? ` (${node.attrs.layout})` : ""}`
        return { dom }
      }
    },
    addCommands() {
      return {
        [`insert${name}`]:
          () =>
          ({ editor }) => {
            dialog(editor, { value: "" }).then((attrs) => {
              if (attrs?.value) {
                // After the selection, so that a block just inserted (and selected)
                // is followed by the next rather than replaced by it.
                const at = editor.state.selection.to
                editor.chain().focus().insertContentAt(at, { type: name, attrs }).run()
              }
            })
            return true
          },
      }
    },
    addMenuItems({ buttons, menu }) {
      menu.defineItem({
        name,
        groups: "blocks",
        command: (editor) => editor.commands[`insert${name}`](),
        button: buttons.material(icon, label),
      })
    },
  })

const idsDialog = (title, help) => (editor, attrs) =>
  updateAttrsDialog({ value: { title: help, required: true } }, { title })(editor, attrs).then(
    (attrs) => {
      if (!attrs) return null
      const value = String(attrs.value).replace(/[,\s]+/g, " ").trim()
      if (!PHOTO_IDS.test(value)) {
        window.alert("Give photo numbers from the photo library, separated by spaces.")
        return null
      }
      return { ...attrs, value }
    },
  )

// The address the body's textarea names for uploads (articles/admin.py), if the user
// may add photos.
const uploadUrl = (editor) =>
  editor.view.dom.closest(".prose-editor")?.querySelector("textarea")?.dataset.photoUploadUrl

const element = (tag, properties = {}, children = []) => {
  const made = Object.assign(document.createElement(tag), properties)
  made.append(...children)
  return made
}

// A dialog to upload a new photo with its caption, credit and alt text. The server's
// form checks it; its errors are shown beside the fields, and what was typed (the file
// too) stays in the dialog until the upload succeeds or the user cancels. Resolves to
// the inline photo block's attributes, or null.
const uploadDialog = (editor) =>
  new Promise((resolve) => {
    const field = (name, label, input, help = "") => {
      input.name = name
      input.id = `body-photo-upload-${name}`
      const children = [element("label", { htmlFor: input.id, textContent: label }), input]
      if (help) children.push(element("span", { className: "prose-editor-help", textContent: help }))
      const wrapper = element("div", { className: "prose-editor-dialog-field" }, children)
      wrapper.dataset.field = name
      return wrapper
    }
    const layout = element("select", {}, [
      element("option", { value: "full", textContent: "full" }),
      element("option", { value: "inset", textContent: "inset" }),
    ])
    const decorative = element("input", { type: "checkbox", value: "on" })
    const problem = element("p", { className: "errornote", hidden: true, role: "alert" })
    const upload = element("button", { type: "submit", textContent: "Upload and insert" })
    const cancel = element("button", { type: "button", textContent: "Cancel" })
    const form = element("form", { noValidate: true }, [
      element("h3", { className: "prose-editor-dialog-title", textContent: "Upload a photo" }),
      problem,
      field(
        "image",
        "Photo (JPEG, PNG or WebP)",
        element("input", { type: "file", accept: "image/jpeg,image/png,image/webp" }),
      ),
      field(
        "alt_text",
        "Alt text",
        element("input", { type: "text", size: 50, maxLength: 250 }),
        "What the picture shows, for readers who cannot see it.",
      ),
      field("is_decorative", "Decorative: adds nothing to the story", decorative),
      field("caption", "Caption", element("input", { type: "text", size: 50, maxLength: 500 })),
      field("credit", "Credit", element("input", { type: "text", size: 50, maxLength: 120 })),
      field("layout", "Layout", layout),
      element("div", { className: "prose-editor-dialog-buttons" }, [cancel, upload]),
    ])
    const dialog = element("dialog", { className: "prose-editor-dialog body-photo-upload" }, [form])
    const wrapper = element("div", {}, [dialog])
    editor.view.dom.parentElement.append(wrapper)
    let result = null
    dialog.addEventListener("close", () => {
      wrapper.remove()
      resolve(result)
    })
    cancel.addEventListener("click", () => dialog.close())

    const failed = (message) => ({ __all__: [{ message }] })
    const showErrors = (errors) => {
      form.querySelectorAll(".errorlist").forEach((list) => list.remove())
      const general = []
      for (const [name, messages] of Object.entries(errors)) {
        const at = form.querySelector(`[data-field="${name}"]`)
        const text = messages.map((message) => message.message)
        if (!at) {
          general.push(...text)
          continue
        }
        const items = text.map((line) => element("li", { textContent: line }))
        at.append(element("ul", { className: "errorlist" }, items))
      }
      problem.textContent = general.length ? general.join(" ") : "Please correct the errors below."
      problem.hidden = false
    }

    form.addEventListener("submit", (event) => {
      // This form sits inside the admin's: its submit must not reach that one (whose
      // listeners take a submit for the story being saved, as the desk's autosave does).
      event.preventDefault()
      event.stopPropagation()
      const data = new FormData(form)
      data.delete("layout")
      const csrf = editor.view.dom.closest("form")?.querySelector("[name=csrfmiddlewaretoken]")
      upload.disabled = true
      fetch(uploadUrl(editor), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
        body: data,
      })
        .then((response) =>
          response
            .json()
            .catch(() => ({ errors: failed(`The server answered ${response.status}.`) }))
            .then((answer) => {
              if (response.ok && answer.id) {
                result = { value: String(answer.id), layout: layout.value }
                dialog.close()
              } else {
                showErrors(answer.errors || failed(answer.error || response.statusText))
              }
            }),
        )
        .catch(() => showErrors(failed("The upload failed; check the connection and try again.")))
        .finally(() => {
          upload.disabled = false
        })
    })
    dialog.showModal()
  })

const BodyPhotoMarker = markerNode({
  name: "BodyPhoto",
  tag: "figure",
  attribute: "data-photo",
  label: "Photo",
  icon: "image",
  extra: {
    layout: {
      default: "full",
      parseHTML: (element) => element.getAttribute("data-layout") || "full",
      renderHTML: (attrs) => ({ "data-layout": attrs.layout }),
    },
  },
  dialog: (editor, attrs) =>
    updateAttrsDialog(
      {
        value: { title: "Photo number (from the photo library)", required: true },
        layout: { title: "Layout", enum: ["full", "inset"] },
      },
      { title: "Insert a photo" },
    )(editor, { ...attrs, layout: "full" }).then((attrs) => {
      if (attrs && !/^[1-9][0-9]{0,9}$/.test(String(attrs.value).trim())) {
        window.alert("Give the photo's number in the photo library.")
        return null
      }
      return attrs && { ...attrs, value: String(attrs.value).trim() }
    }),
})

// An inline photo from the library by number, or uploaded in place.
export const BodyPhoto = BodyPhotoMarker.extend({
  addCommands() {
    return {
      ...this.parent?.(),
      uploadBodyPhoto:
        () =>
        ({ editor }) => {
          uploadDialog(editor).then((attrs) => {
            if (attrs) {
              const at = editor.state.selection.to
              editor.chain().focus().insertContentAt(at, { type: "BodyPhoto", attrs }).run()
            }
          })
          return true
        },
    }
  },
  addMenuItems(args) {
    this.parent?.(args)
    args.menu.defineItem({
      name: "BodyPhotoUpload",
      groups: "blocks",
      command: (editor) => editor.commands.uploadBodyPhoto(),
      enabled: (editor) => Boolean(uploadUrl(editor)),
      button: args.buttons.material("add_photo_alternate", "Upload a photo"),
    })
  },
})

export const Gallery = markerNode({
  name: "Gallery",
  tag: "div",
  attribute: "data-gallery",
  label: "Gallery",
  icon: "photo_library",
  dialog: idsDialog("Insert a gallery", "Photo numbers, in order"),
})

export const Embed = markerNode({
  name: "Embed",
  tag: "div",
  attribute: "data-embed",
  label: "Embed",
  icon: "smart_display",
  dialog: (editor, attrs) =>
    updateAttrsDialog(
      { value: { title: "Address of the post (YouTube, Vimeo, X, Bluesky…)", format: "url", required: true } },
      { title: "Embed a post" },
    )(editor, attrs),
})

// A block of paragraphs in an <aside class="…">, toggled around the selection.
const asideNode = ({ name, className, content, label, icon }) =>
  Node.create({
    name,
    group: "block",
    content,
    defining: true,
    parseHTML() {
      return [{ tag: `aside.${className}` }]
    },
    renderHTML() {
      return ["aside", { class: className }, 0]
    },
    addCommands() {
      return { [`toggle${name}`]: () => ({ commands }) => commands.toggleWrap(name) }
    },
    addMenuItems({ buttons, menu }) {
      menu.defineItem({
        name,
        groups: "blocks",
        command: (editor) => editor.chain().focus()[`toggle${name}`]().run(),
        button: buttons.material(icon, label),
        active: (editor) => editor.isActive(name),
      })
    },
  })

export const PullQuote = asideNode({
  name: "PullQuote",
  className: "pull-quote",
  content: "paragraph+",
  label: "Pull quote",
  icon: "format_quote",
})

export const FactBox = asideNode({
  name: "FactBox",
  className: "fact-box",
  content: "block+",
  label: "Fact box (start it with a heading)",
  icon: "info",
})

export const TableCaption = Node.create({
  name: "TableCaption",
  content: "inline*",
  parseHTML() {
    return [{ tag: "figure.table-figure > figcaption" }]
  },
  renderHTML() {
    return ["figcaption", 0]
  },
})

export const TableFigure = Node.create({
  name: "TableFigure",
  group: "block",
  content: "table TableCaption",
  isolating: true,
  parseHTML() {
    return [{ tag: "figure.table-figure" }]
  },
  renderHTML() {
    return ["figure", { class: "table-figure" }, 0]
  },
  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "TableFigure",
      groups: "blocks",
      command: (editor) =>
        editor
          .chain()
          .focus()
          .insertContentAt(editor.state.selection.to, {
            type: "TableFigure",
            content: [
              {
                type: "table",
                content: [0, 1, 2].map((row) => ({
                  type: "tableRow",
                  content: [0, 1, 2].map(() => ({
                    type: row ? "tableCell" : "tableHeader",
                    content: [{ type: "paragraph" }],
                  })),
                })),
              },
              { type: "TableCaption", content: [{ type: "text", text: "Caption" }] },
            ],
          })
          .run(),
      button: buttons.material("table_chart", "Table with a caption"),
    })
  },
})
